package dev.silo.activities.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BranchDeployUrlTest {

  @ParameterizedTest
  @CsvSource({
      "silo/acme-crm, silo-acme-crm",
      "Silo/ACME-crm, silo-acme-crm",
      "feature/new_login.page, feature-new-login-page"})
  void givenBranch_whenLabel_itShouldBeWhatNetlifyPutsInTheHostName(String branch, String label) {
    assertThat(BranchDeployUrl.label(branch)).isEqualTo(label);
  }

  @Test
  void givenSiloBranch_whenOf_itShouldBeTheBranchSubdomainOfTheSite() {
    assertThat(BranchDeployUrl.of("silo/acme-crm", "acme-web"))
        .contains("https://silo-acme-crm--acme-web.netlify.app");
  }

  @Test
  void givenHostNameOfExactly63Characters_whenOf_itShouldStillBeServed() {
    String site = "s".repeat(63 - "silo-acme-crm--".length());

    assertThat(BranchDeployUrl.of("silo/acme-crm", site)).isPresent();
    assertThat(BranchDeployUrl.of("silo/acme-crm", site + "x")).isEmpty();
  }

  @Test
  void givenHostNameTooLong_whenRequire_itShouldBeANonRetryableRejectionThatExplainsTheLimit() {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> BranchDeployUrl.require("silo/acme-crm", "s".repeat(49)));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("Netlify cannot serve branch 'silo/acme-crm' of site '" + "s".repeat(49)
            + "': the host name 'silo-acme-crm--" + "s".repeat(49)
            + "' has 64 characters, a DNS label allows 63");
  }
}
