package dev.silo.sandbox.fly;

import dev.silo.sandbox.Contracts;
import java.nio.file.Path;

/** The Fly Machines API description the sandbox validates requests against, {@value #FILE_NAME}. */
public final class FlyMachinesSpec {

  /** The spec's file name in the contracts directory. */
  public static final String FILE_NAME = "fly-machines-openapi-2024-01.yaml";

  private FlyMachinesSpec() {}

  /** Finds the spec; see {@link Contracts#locate(String)}. */
  public static Path find() {
    return Contracts.locate(FILE_NAME);
  }
}
