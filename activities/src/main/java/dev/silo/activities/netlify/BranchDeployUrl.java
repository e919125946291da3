package dev.silo.activities.netlify;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.Locale;
import java.util.Optional;

/**
 * The URL Netlify serves a branch's latest deploy at, {@code https://{branch label}--{site
 * name}.netlify.app}. The branch label is the branch lowercased with every character other than a
 * letter, digit or hyphen turned into a hyphen ({@code silo/acme-crm} becomes {@code
 * silo-acme-crm}); label and site name together form one DNS label, so at most 63 characters.
 */
final class BranchDeployUrl {

  static final int DNS_LABEL_MAX = 63;

  private BranchDeployUrl() {}

  /** The branch as it appears in the deploy's host name. */
  static String label(String branch) {
    return branch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  /** The URL, or empty when the host name would be longer than a DNS label allows. */
  static Optional<String> of(String branch, String siteName) {
    String host = label(branch) + "--" + siteName;
    return host.length() <= DNS_LABEL_MAX
        ? Optional.of("https://" + host + ".netlify.app")
        : Optional.empty();
  }

  /**
   * The URL of a branch about to be configured.
   *
   * @throws ApplicationFailure {@code VENDOR_REJECTED}, before anything is changed, when the host
   *     name would be longer than a DNS label allows: Netlify could not serve the branch there
   */
  static String require(String branch, String siteName) {
    return of(branch, siteName).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "Netlify cannot serve branch '" + branch + "' of site '" + siteName + "': the host name '"
            + label(branch) + "--" + siteName + "' has " + (label(branch).length() + 2 + siteName.length())
            + " characters, a DNS label allows " + DNS_LABEL_MAX,
        FailureType.VENDOR_REJECTED.type()));
  }
}
