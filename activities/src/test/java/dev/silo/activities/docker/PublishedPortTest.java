package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishedPortTest {

  @Test
  void givenContainerPortOnly_whenParsed_itShouldLetTheEnginePickTheHostPort() {
    assertThat(PublishedPort.parse("5432"))
        .containsExactly(new PublishedPort(null, null, 5432, "tcp"));
  }

  @Test
  void givenHostAndContainerPort_whenParsed_itShouldBindAllAddresses() {
    assertThat(PublishedPort.parse("54322:5432"))
        .containsExactly(new PublishedPort(null, "54322", 5432, "tcp"));
  }

  @Test
  void givenAddressHostPortAndProtocol_whenParsed_itShouldKeepEachPart() {
    assertThat(PublishedPort.parse("127.0.0.1:8000:8000/udp"))
        .containsExactly(new PublishedPort("127.0.0.1", "8000", 8000, "udp"));
    assertThat(PublishedPort.parse("[::1]:8000:80"))
        .containsExactly(new PublishedPort("::1", "8000", 80, "tcp"));
    assertThat(PublishedPort.parse("127.0.0.1::80"))
        .containsExactly(new PublishedPort("127.0.0.1", null, 80, "tcp"));
  }

  @Test
  void givenRanges_whenParsed_itShouldPairThemPortByPort() {
    assertThat(PublishedPort.parse("8000-8001:9000-9001"))
        .containsExactly(
            new PublishedPort(null, "8000", 9000, "tcp"),
            new PublishedPort(null, "8001", 9001, "tcp"));
    assertThat(PublishedPort.parse("3000-3001"))
        .containsExactly(
            new PublishedPort(null, null, 3000, "tcp"), new PublishedPort(null, null, 3001, "tcp"));
    assertThat(PublishedPort.parse("8000-8010:80"))
        .containsExactly(new PublishedPort(null, "8000-8010", 80, "tcp"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "http", "80/icmp", "1:2:3:4", "8000-8002:80-81", "70000", "0"})
  void givenSomethingElse_whenParsed_itShouldSayWhatTheSyntaxIs(String entry) {
    assertThatThrownBy(() -> PublishedPort.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[IP:][HOST:]CONTAINER[/PROTOCOL]");
  }
}
