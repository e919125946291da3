package dev.silo.sandbox.fly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlyMachinesSpecTest {

  @TempDir
  Path root;

  @Test
  void givenTheVariable_whenFinding_itShouldUseThatDirectoryFirst() throws IOException {
    Path contracts = Files.createDirectories(root.resolve("elsewhere"));
    Path spec = Files.writeString(contracts.resolve(FlyMachinesSpec.FILE_NAME), "openapi: 3.0.1");
    Files.createDirectories(root.resolve("shared/contracts"));
    Files.writeString(root.resolve("shared/contracts").resolve(FlyMachinesSpec.FILE_NAME), "openapi: 3.0.1");

    Path found = FlyMachinesSpec.find(Map.of(FlyMachinesSpec.CONTRACTS_VARIABLE, contracts.toString()),
        Files.createDirectories(root.resolve("clone/activities")));

    assertThat(found).isEqualTo(spec);
  }

  @Test
  void givenACloneBesideShared_whenFindingFromAModule_itShouldFindTheSharedContracts() throws IOException {
    Path contracts = Files.createDirectories(root.resolve("shared/contracts"));
    Path spec = Files.writeString(contracts.resolve(FlyMachinesSpec.FILE_NAME), "openapi: 3.0.1");

    Path fromModule = FlyMachinesSpec.find(Map.of(), Files.createDirectories(root.resolve("clone/activities")));
    Path fromRoot = FlyMachinesSpec.find(Map.of(), root.resolve("clone"));

    assertThat(fromModule).isEqualTo(spec);
    assertThat(fromRoot).isEqualTo(spec);
  }
}
