package dev.silo.starter.silo;

import dev.silo.starter.command.CliException;
import dev.silo.workflows.silo.SiloNames;
import java.util.List;
import picocli.CommandLine.Parameters;

/** The {@code <client> <app>} pair that names a silo, checked before anything reaches the server. */
final class SiloArguments {

  @Parameters(index = "0", paramLabel = "<client>", description = "The client, e.g. acme.")
  String client;

  @Parameters(index = "1", paramLabel = "<app>", description = "The app, e.g. crm.")
  String app;

  /** Returns the silo's names, or fails with exit code 2 listing every problem on one line. */
  SiloNames names() {
    List<String> problems = SiloNames.problems(client, app);
    if (!problems.isEmpty()) {
      throw CliException.badInput(String.join("; ", problems));
    }
    return new SiloNames(client, app);
  }
}
