package dev.silo.sandbox.netlify;

import dev.silo.sandbox.Contracts;
import dev.silo.sandbox.SpecValidator;
import java.nio.file.Path;

/** Netlify's published API description ({@value #FILE_NAME}, Swagger 2). */
public final class NetlifySpec {

  /** The spec's file name in the contracts directory. */
  public static final String FILE_NAME = "netlify-open-api-2.60.0.swagger.json";

  /** The path prefix Netlify serves the API under, and so does the sandbox. */
  public static final String BASE_PATH = "/api/v1";

  private NetlifySpec() {}

  /** Finds the spec; see {@link Contracts#locate(String)}. */
  public static Path locate() {
    return Contracts.locate(FILE_NAME);
  }

  /** A validator with its own violation list, over the spec parsed once per JVM. */
  static SpecValidator validator(Path specFile) {
    return SpecValidator.forSpec(specFile, BASE_PATH);
  }
}
