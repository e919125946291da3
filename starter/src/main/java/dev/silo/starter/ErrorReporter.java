package dev.silo.starter;

import dev.silo.client.ServerUnreachableException;
import dev.silo.starter.command.CliContext;
import dev.silo.starter.command.CliException;
import dev.silo.starter.command.Errors;
import dev.silo.starter.command.ExitCodes;
import dev.silo.starter.command.GlobalOptions;
import dev.silo.starter.command.SiloCommand;
import dev.silo.starter.output.JsonOutput;
import dev.silo.starter.output.TerminalText;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns every failure into one line and an exit code: usage mistakes and a payload key that differs
 * from the worker's (2), failures the user can act on (their own code), an unreachable server (3),
 * anything else (1, with the stack trace only under {@code --debug}). In json mode the line is an error document on stdout instead.
 * A control character in the line, which may quote what was typed, is shown escaped.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {

  private final CliContext context;

  ErrorReporter(CliContext context) {
    this.context = context;
  }

  @Override
  public int handleParseException(ParameterException error, String[] args) {
    List<String> arguments = Arrays.asList(args);
    boolean json = arguments.stream().anyMatch("--output=json"::equalsIgnoreCase) || adjacent(arguments, "--output", "json");
    String hint = "see '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
    String misplaced = ArgumentChecks.optionInNameSlot(error, args);
    String problem = misplaced != null ? misplaced : error.getMessage();
    if (json) {
      report(true, ExitCodes.BAD_INPUT, problem + " (" + hint + ")");
    } else {
      context.err().println("error: " + TerminalText.escape(problem));
      context.err().println(hint);
    }
    return ExitCodes.BAD_INPUT;
  }

  @Override
  public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
    GlobalOptions globals =
        commandLine.getCommand() instanceof SiloCommand command ? command.globals() : new GlobalOptions();
    if (error instanceof CliException failure) {
      return report(globals.json(), failure.exitCode(), failure.getMessage());
    }
    if (error instanceof ServerUnreachableException unreachable) {
      return report(globals.json(), ExitCodes.UNAVAILABLE, unreachable.getMessage());
    }
    PayloadCodecException codec = codecFailure(error);
    if (codec != null) {
      // A payload this CLI cannot decrypt: its key differs from the worker's, a setup mistake.
      return report(globals.json(), ExitCodes.BAD_INPUT, codec.getMessage());
    }
    int code = report(globals.json(), ExitCodes.RUN_FAILED, "error: " + Errors.message(error));
    if (globals.debug()) {
      error.printStackTrace(context.err());
    }
    return code;
  }

  private static PayloadCodecException codecFailure(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof PayloadCodecException codec) {
        return codec;
      }
    }
    return null;
  }

  private int report(boolean json, int exitCode, String message) {
    if (json) {
      context.out().println(JsonOutput.write(new JsonOutput.ErrorDocument(message, exitCode)));
    } else {
      context.err().println(TerminalText.escape(message));
    }
    return exitCode;
  }

  private static boolean adjacent(List<String> arguments, String option, String value) {
    int index = arguments.indexOf(option);
    return index >= 0 && index + 1 < arguments.size() && arguments.get(index + 1).equalsIgnoreCase(value);
  }
}
