package dev.silo.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractsTest {

  private static final String FILE = "netlify-open-api-2.60.0.swagger.json";

  @Test
  void givenContractsDirVariable_whenLocate_itShouldUseIt(@TempDir Path temp) throws Exception {
    Files.writeString(temp.resolve(FILE), "{}");

    assertThat(Contracts.locate(FILE, Map.of(Contracts.DIRECTORY_VARIABLE, temp.toString()), temp))
        .isEqualTo(temp.resolve(FILE));
  }

  @Test
  void givenACloneBesideShared_whenLocatingFromAModuleOrTheRoot_itShouldFindTheSharedContracts(@TempDir Path root)
      throws Exception {
    Path contracts = Files.createDirectories(root.resolve("shared/contracts"));
    Path spec = Files.writeString(contracts.resolve(FILE), "{}");

    Path fromModule = Contracts.locate(FILE, Map.of(), Files.createDirectories(root.resolve("clone/activities")));
    Path fromRoot = Contracts.locate(FILE, Map.of(), root.resolve("clone"));

    assertThat(fromModule).isEqualTo(spec);
    assertThat(fromRoot).isEqualTo(spec);
  }

  @Test
  void givenNoSpecAnywhere_whenLocate_itShouldNameThePlacesLookedAt(@TempDir Path temp) {
    Path empty = temp.resolve("a/b/c");

    if (Files.isRegularFile(Contracts.WELL_KNOWN_DIRECTORY.resolve(FILE))) {
      assertThat(Contracts.locate(FILE, Map.of(), empty)).isEqualTo(Contracts.WELL_KNOWN_DIRECTORY.resolve(FILE));
    } else {
      assertThatThrownBy(() -> Contracts.locate(FILE, Map.of(), empty))
          .hasMessageContaining(Contracts.DIRECTORY_VARIABLE)
          .hasMessageContaining(temp.resolve("shared/contracts").toString());
    }
  }
}
