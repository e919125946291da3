package dev.silo.activities.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code netlify.env.silo}: the branch-context variables set once on the silo's Netlify
 * branch. The workflow computes three of them from the Fly deployment, so the file may leave them
 * empty or hold placeholders; what matters is that it declares exactly the set the front end
 * expects.
 */
final class NetlifyEnvReader {

  static final String FILE = "netlify.env.silo";

  /** The variables the file must declare, no more and no fewer. */
  static final List<String> VARIABLES =
      List.of("VITE_SUPABASE_URL", "VITE_SUPABASE_ANON_KEY", "VITE_APP_ENV", "VITE_API_URL");

  private final SiloDirectory silo;
  private final List<ConfigProblem> problems;

  NetlifyEnvReader(SiloDirectory silo, List<ConfigProblem> problems) {
    this.silo = silo;
    this.problems = problems;
  }

  /** Reads the variables in file order; empty when the file is missing or unreadable. */
  Map<String, String> read() {
    Path file = silo.path().resolve(FILE);
    FileProblems fileProblems = new FileProblems(FILE, problems);
    if (!Files.isRegularFile(file)) {
      fileProblems.add("file is missing");
      return Map.of();
    }
    Optional<EnvFile> envFile =
        silo.readText(file, fileProblems).map(text -> EnvFile.parse(text, fileProblems));
    if (envFile.isEmpty()) {
      return Map.of();
    }
    Map<String, Integer> lines = envFile.get().lines();
    lines.forEach(
        (variable, line) -> {
          if (!VARIABLES.contains(variable)) {
            fileProblems.add(line, "unknown variable " + variable + "; " + expected());
          }
        });
    VARIABLES.stream()
        .filter(variable -> !lines.containsKey(variable))
        .forEach(variable -> fileProblems.add(variable + " is missing; " + expected()));
    return envFile.get().variables();
  }

  private static String expected() {
    return "the file declares exactly " + String.join(", ", VARIABLES);
  }
}
