package dev.silo.activities.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

  @Test
  void givenPlainWords_whenSplit_itShouldSplitOnAnyWhitespace() {
    assertThat(ShellWords.split("  node\tdist/worker.js \n --queue  crm "))
        .hasValueSatisfying(
            words -> assertThat(words).containsExactly("node", "dist/worker.js", "--queue", "crm"));
  }

  @Test
  void givenQuotes_whenSplit_itShouldKeepQuotedWhitespaceAndDropTheQuotes() {
    assertThat(ShellWords.split("sh -c 'echo \"$HOME\"' \"a \\\"b\\\" c\" x\\ y \"\""))
        .hasValueSatisfying(
            words ->
                assertThat(words)
                    .containsExactly("sh", "-c", "echo \"$HOME\"", "a \"b\" c", "x y", ""));
  }

  @Test
  void givenAnUnclosedQuoteOrATrailingBackslash_whenSplit_itShouldGiveNothing() {
    assertThat(ShellWords.split("echo 'oops")).isEmpty();
    assertThat(ShellWords.split("echo \"oops")).isEmpty();
    assertThat(ShellWords.split("echo oops\\")).isEmpty();
  }
}
