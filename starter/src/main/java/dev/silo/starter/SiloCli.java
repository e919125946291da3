package dev.silo.starter;

import dev.silo.starter.command.CliContext;
import dev.silo.starter.release.ReleaseCommand;
import dev.silo.starter.silo.AbortCommand;
import dev.silo.starter.silo.ApproveCommand;
import dev.silo.starter.silo.CancelCommand;
import dev.silo.starter.silo.CheckCommand;
import dev.silo.starter.silo.ConfirmBranchOverwriteCommand;
import dev.silo.starter.silo.DeployCommand;
import dev.silo.starter.silo.DestroyCommand;
import dev.silo.starter.silo.ListCommand;
import dev.silo.starter.silo.RejectCommand;
import dev.silo.starter.silo.ReportCommand;
import dev.silo.starter.silo.RetryDeskCommand;
import dev.silo.starter.silo.StartCommand;
import dev.silo.starter.silo.RetryStepCommand;
import dev.silo.starter.silo.SkipStepCommand;
import dev.silo.starter.silo.StatusCommand;
import dev.silo.starter.silo.StopCommand;
import dev.silo.starter.silo.WatchCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The {@code silo} command line: start, decide on, follow and report silo deployments. */
@Command(
    name = "silo",
    description =
        "Deploy silos with Temporal: start, approve, watch and report silo deployments; promote releases"
            + " with 'silo release'.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {
      "",
      "worker, dev-server, demo and bench run from the worker jar (./silo starts it; java -jar",
      "worker/target/silo-worker.jar COMMAND otherwise); 'silo COMMAND --help' shows each one's options.",
      "Every other command takes --output text|json, --address, --namespace and --debug.",
      "Exit codes: 0 success; 1 the run failed, was rejected or cancelled;",
      "2 bad input; 3 server unreachable or no such run.",
      "Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (and the other TEMPORAL_*",
      "variables of temporal-envconfig), SILO_PAYLOAD_KEY; for signing, SSH_AUTH_SOCK and",
      "SILO_KEY_PASSPHRASE. JSON shapes: starter/CLI.md."
    })
public final class SiloCli implements Callable<Integer> {

  private static final List<Function<CliContext, Object>> COMMANDS =
      List.of(
          DeployCommand::new,
          ApproveCommand::new,
          RejectCommand::new,
          ConfirmBranchOverwriteCommand::new,
          RetryDeskCommand::new,
          RetryStepCommand::new,
          SkipStepCommand::new,
          AbortCommand::new,
          StatusCommand::new,
          WatchCommand::new,
          ReportCommand::new,
          CancelCommand::new,
          ListCommand::new,
          ReleaseCommand::commandLine,
          CheckCommand::new,
          StopCommand::new,
          StartCommand::new,
          DestroyCommand::new);

  /**
   * The commands the {@code silo} launcher runs from the worker jar (WorkerMain), with the first
   * line of their description; this jar does not contain them, but its help is the launcher's, so
   * it lists them among its own. The worker module's tests check that this list matches WorkerMain.
   */
  public static final Map<String, String> WORKER_JAR_COMMANDS = workerJarCommands();

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private SiloCli() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    if (List.of(args).contains("--debug")) {
      // Libraries' informational logs (connections, shutdown); debug would drown them in Netty's.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    System.exit(run(args, System.getenv(), out, err));
  }

  /**
   * Runs one command in-process and returns its exit code; never throws and never prints a stack
   * trace unless {@code --debug} is given.
   *
   * @param args the command line, without the program name
   * @param env the environment to read TEMPORAL_* and SILO_* from
   * @param out where results go
   * @param err where errors and notices go
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CliContext context = new CliContext(env, out, err);
    CommandLine commandLine = new CommandLine(new SiloCli());
    COMMANDS.forEach(command -> commandLine.addSubcommand(command.apply(context)));
    ErrorReporter errors = new ErrorReporter(context);
    commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, SiloCli::commandList);
    commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true))
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors)
        .setExecutionStrategy(parseResult -> {
          ArgumentChecks.refuseControlCharacters(parseResult);
          return new CommandLine.RunLast().execute(parseResult);
        });
    return commandLine.execute(args);
  }

  /** This jar's commands, then the worker jar's, in one table. */
  private static String commandList(Help help) {
    Map<String, Help> commands = new LinkedHashMap<>(help.subcommands());
    WORKER_JAR_COMMANDS.forEach((name, description) -> commands.put(name,
        new Help(CommandSpec.create().name(name).usageMessage(new UsageMessageSpec().description(description)),
            help.colorScheme())));
    return help.commandList(commands);
  }

  private static Map<String, String> workerJarCommands() {
    Map<String, String> commands = new LinkedHashMap<>();
    commands.put("worker", "Polls the Silo task queues until Ctrl-C.");
    commands.put("dev-server", "Runs a Temporal dev server with the Silo search attributes, until Ctrl-C.");
    commands.put("demo", "Deploys the example silo acme-crm end to end on this machine; with --release, promotes"
        + " the example release.");
    commands.put("bench", "Measures N silos deployed at once against the sandbox at latency L per call, for each N"
        + " and L.");
    return Collections.unmodifiableMap(commands);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }
}
