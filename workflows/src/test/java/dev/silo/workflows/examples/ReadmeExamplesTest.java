package dev.silo.workflows.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README shows the parent-workflow example as code. Each block it marks with {@code <!-- source:
 * PATH -->} must be that compiled file verbatim, so the README cannot drift from code the tests run.
 */
class ReadmeExamplesTest {

  private static final Pattern SOURCE_BLOCK =
      Pattern.compile("<!-- source: (\\S+) -->\\R```java\\R(.*?)```", Pattern.DOTALL);

  private static final String EXAMPLES = "workflows/src/test/java/dev/silo/workflows/examples/";

  @Test
  void givenReadme_whenItsSourceBlocksAreReadBack_itShouldShowTheParentWorkflowExampleVerbatim() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    String readme = Files.readString(root.resolve("README.md"));
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher block = SOURCE_BLOCK.matcher(readme);
    while (block.find()) {
      blocks.put(block.group(1), block.group(2));
    }

    assertThat(blocks).containsOnlyKeys(
        EXAMPLES + "ClientOnboardingWorkflow.java", EXAMPLES + "ClientOnboardingWorkflowImpl.java");
    for (Map.Entry<String, String> shown : blocks.entrySet()) {
      assertThat(shown.getValue()).as("README block of %s", shown.getKey())
          .isEqualTo(Files.readString(root.resolve(shown.getKey())));
    }
  }
}
