package dev.silo.starter.release;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code silo release watch}: follows the promotion of a version until it ends. */
@Command(
    name = "watch",
    header = "Follow the promotion of a version until it ends, then print its report.",
    description =
        "Prints one line per change of an environment's status and per step of the deployment running, then"
            + " the report. Exit code 0 when the release succeeded (or an automatic run had nothing to do), 1"
            + " otherwise.")
final class ReleaseWatchCommand extends ReleaseSubcommand {

  @Parameters(index = "1", paramLabel = "<version>", description = "The version being released.")
  String version;

  ReleaseWatchCommand(CliContext context) {
    super(context);
  }

  @Override
  void check() {
    ReleaseNames.check(project, version, null);
  }

  @Override
  int run(ReleaseTarget target, Output output) {
    return new ReleaseFollower(target, version, output).follow(null);
  }
}
