package dev.silo.workflows.signing;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class SignatureSelfTestTest {

  @Test
  void givenOpenSshVectorsOfEachKeyType_whenTheSelfTestRuns_itShouldVerifyThemAll() {
    assertThatCode(SignatureSelfTest::run).doesNotThrowAnyException();
  }
}
