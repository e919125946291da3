package dev.silo.starter;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code silo watch}: follows the latest deployment of a silo until it ends. */
@Command(
    name = "watch",
    header = "Follow the latest deployment of a silo until it ends.",
    description =
        "Prints one line per change of step, status or pending decision, then the report. Exit code 0"
            + " when the silo is deployed, 1 when the run failed, was rejected or cancelled.")
final class WatchCommand implements Callable<Integer>, SiloCommand {

  private final CliContext context;

  @Mixin GlobalOptions globals = new GlobalOptions();
  @Mixin SiloArguments silo = new SiloArguments();

  WatchCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public GlobalOptions globals() {
    return globals;
  }

  @Override
  public Integer call() {
    try (SiloTarget target = SiloTarget.open(context, globals, silo)) {
      return new RunFollower(target, new Output(context, globals)).follow(null);
    }
  }
}
