package dev.silo.activities.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed {@code KEY=VALUE} file: {@code netlify.env.silo} or a Compose {@code env_file}. Blank
 * lines and lines starting with {@code #} are skipped; one pair of matching quotes around a value
 * is removed, as Compose and dotenv do.
 *
 * @param variables the variables, in file order
 * @param lines the line each variable is set on
 */
record EnvFile(Map<String, String> variables, Map<String, Integer> lines) {

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Parses a file, reporting malformed lines and repeated keys with their line numbers. */
  static EnvFile parse(String text, FileProblems problems) {
    Map<String, String> variables = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    String[] textLines = text.split("\\R", -1);
    for (int index = 0; index < textLines.length; index++) {
      int lineNumber = index + 1;
      String line = textLines[index].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int equals = line.indexOf('=');
      String key = equals < 0 ? line : line.substring(0, equals).strip();
      if (equals < 0 || !KEY.matcher(key).matches()) {
        problems.add(lineNumber, "expected KEY=VALUE, a # comment or a blank line");
        continue;
      }
      Integer firstLine = lines.putIfAbsent(key, lineNumber);
      if (firstLine != null) {
        problems.add(lineNumber, key + " is already set on line " + firstLine);
        continue;
      }
      variables.put(key, unquote(line.substring(equals + 1).strip()));
    }
    return new EnvFile(variables, lines);
  }

  private static String unquote(String value) {
    boolean quoted =
        value.length() >= 2
            && (value.charAt(0) == '"' || value.charAt(0) == '\'')
            && value.charAt(value.length() - 1) == value.charAt(0);
    return quoted ? value.substring(1, value.length() - 1) : value;
  }
}
