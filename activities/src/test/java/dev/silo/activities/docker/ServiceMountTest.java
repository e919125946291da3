package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.activities.docker.ServiceMount.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceMountTest {

  @Test
  void givenEachShortSyntax_whenParsed_itShouldTellNamedBindAndAnonymousApart() {
    assertThat(ServiceMount.parse("db-data:/var/lib/postgresql/data"))
        .isEqualTo(new ServiceMount(Kind.NAMED, "db-data", "/var/lib/postgresql/data", null));
    assertThat(ServiceMount.parse("/srv/silo/kong.yml:/home/kong/kong.yml:ro"))
        .isEqualTo(new ServiceMount(Kind.BIND, "/srv/silo/kong.yml", "/home/kong/kong.yml", "ro"));
    assertThat(ServiceMount.parse("/cache"))
        .isEqualTo(new ServiceMount(Kind.ANONYMOUS, null, "/cache", null));
    assertThat(ServiceMount.parse("data:/data:ro,z"))
        .isEqualTo(new ServiceMount(Kind.NAMED, "data", "/data", "ro,z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"./volumes/api:/api", "~/x:/x"})
  void givenRelativeBindSource_whenParsed_itShouldRefuseIt(String entry) {
    assertThatThrownBy(() -> ServiceMount.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "data:relative", "a:/b:ro:extra", "cache"})
  void givenSomethingElse_whenParsed_itShouldSayWhatTheSyntaxIs(String entry) {
    assertThatThrownBy(() -> ServiceMount.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SOURCE:TARGET[:MODE]");
  }
}
