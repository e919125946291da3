package dev.silo.starter;

import dev.silo.starter.output.TerminalText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Checks on the command line as typed that hold for every command, before any of them echoes a
 * value back: no control character anywhere, and a name that starts with a hyphen is named as
 * the bad name it is rather than left to picocli, which takes it for an unknown option.
 */
final class ArgumentChecks {

  /** What follows the hyphen of an argument that was meant as a name rather than an option. */
  private static final Pattern NAME_LIKE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._-]*");

  private ArgumentChecks() {}

  /**
   * Refuses, with one line and exit code 2, any value of the command and its subcommands that holds
   * a control character: a client, app, project or version, a name given with {@code --as} or
   * {@code --approver}, a comment.
   *
   * @throws ParameterException naming the first such value, its control character shown escaped
   */
  static void refuseControlCharacters(ParseResult parseResult) {
    for (ParseResult command = parseResult; command != null; command = command.subcommand()) {
      for (ArgSpec arg : command.matchedArgs()) {
        for (String value : arg.originalStringValues()) {
          String control = TerminalText.firstControlCharacter(value);
          if (control != null) {
            throw new ParameterException(command.commandSpec().commandLine(),
                label(arg) + " '" + TerminalText.escape(value) + "' holds the control character " + control
                    + ": silo takes no control characters (newlines, escape sequences) in names, comments or"
                    + " other values");
          }
        }
      }
    }
  }

  /**
   * When an argument that starts with a single hyphen and otherwise looks like a name stands where
   * the failed command expects a name ({@code silo deploy -acme crm}), the line that says so: picocli
   * reads it as an unknown option and would report a missing parameter instead. Null otherwise.
   *
   * @param error the failure picocli reported
   * @param args the whole command line
   */
  static String optionInNameSlot(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    if (command == null) {
      return null;
    }
    List<PositionalParamSpec> slots = command.getCommandSpec().positionalParameters();
    List<String> own = argumentsOf(command, args);
    int slot = 0;
    for (int i = 0; i < own.size() && slot < slots.size(); i++) {
      String arg = own.get(i);
      if (arg.equals("--")) {
        return null;
      }
      if (arg.length() < 2 || !arg.startsWith("-")) {
        slot++;
        continue;
      }
      int equals = arg.indexOf('=');
      OptionSpec option = command.getCommandSpec().findOption(equals < 0 ? arg : arg.substring(0, equals));
      if (option == null) {
        return arg.startsWith("--") || !NAME_LIKE.matcher(arg.substring(1)).matches()
            ? null
            : "'" + arg + "' is not a valid " + label(slots.get(slot))
                + ": names start with a letter or digit (an argument that starts with '-' is read as an option)";
      }
      if (equals < 0 && option.arity().max() > 0) {
        i++;
      }
    }
    return null;
  }

  /** The arguments that follow the name of {@code command} on the command line. */
  private static List<String> argumentsOf(CommandLine command, String[] args) {
    List<CommandLine> path = new ArrayList<>();
    for (CommandLine step = command; step.getParent() != null; step = step.getParent()) {
      path.add(0, step);
    }
    CommandLine current = command;
    while (current.getParent() != null) {
      current = current.getParent();
    }
    int next = 0;
    for (int i = 0; i < args.length; i++) {
      if (next == path.size()) {
        return List.of(args).subList(i, args.length);
      }
      CommandLine sub = current.getSubcommands().get(args[i]);
      if (sub == path.get(next)) {
        current = sub;
        next++;
      }
    }
    return List.of();
  }

  /** {@code client} for the positional {@code <client>}, the longest name of an option. */
  private static String label(ArgSpec arg) {
    if (arg instanceof OptionSpec option) {
      return option.longestName();
    }
    return arg.paramLabel().replaceAll("^<|>$", "");
  }
}
