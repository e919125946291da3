package dev.silo.activities.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classification of JGit failures, on the exceptions JGit's HTTP and SSH transports raise,
 * which the local-repository tests cannot provoke without a network; and the push lease, whose
 * race the activity tests cannot provoke.
 */
class GitRemoteTest {

  private static final String REMOTE =
      "https://x-access-token:ghp_s3cr3t@git.example.test/acme/auth-service.git";

  private final GitRemote remote = new GitRemote(REMOTE, null);

  @Test
  void givenRemoteRefusingCredentials_whenClassified_itShouldBeRejectedWithoutRetry()
      throws URISyntaxException {
    ApplicationFailure failure =
        remote.classify(
            "list the branches of", new TransportException(new URIish(REMOTE), "not authorized"));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenNoCredentialsForRemoteAskingForThem_whenClassified_itShouldBeRejectedWithoutRetry() {
    ApplicationFailure failure =
        remote.classify(
            "list the branches of",
            new TransportException(
                "Authentication is required but no CredentialsProvider has been registered"));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_REJECTED.type());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void givenConnectionFailureOnRepositoryNamedAuth_whenClassified_itShouldBeRetried()
      throws URISyntaxException {
    ApplicationFailure failure =
        remote.classify(
            "push silo/acme-crm to",
            new TransportException(
                new URIish(REMOTE), "connection failed", new IOException("Connection reset")));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("Connection reset");
  }

  @Test
  void givenMissingRepository_whenClassified_itShouldBeRetried() throws URISyntaxException {
    ApplicationFailure failure =
        remote.classify(
            "fetch main from", new NoRemoteRepositoryException(new URIish(REMOTE), "not found."));

    assertThat(failure.getType()).isEqualTo(FailureType.VENDOR_UNAVAILABLE.type());
    assertThat(failure.isNonRetryable()).isFalse();
  }

  @Test
  void givenUrlWithUserAndToken_whenAnyFailureIsClassified_itShouldNameTheRemoteWithoutThem()
      throws URISyntaxException {
    ApplicationFailure failure =
        remote.classify(
            "list the branches of",
            new TransportException(new URIish(REMOTE), "echo " + REMOTE + " ghp_s3cr3t"));

    assertThat(remote.name()).isEqualTo("https://git.example.test/acme/auth-service.git");
    assertThat(failure.getMessage())
        .contains("https://git.example.test/acme/auth-service.git")
        .doesNotContain("ghp_s3cr3t", "x-access-token");
  }

  @Test
  void givenMalformedRemote_whenCreated_itShouldRefuseWithoutEchoingIt() {
    assertThatThrownBy(() -> new GitRemote("https://tok:en@git.example.test:bad-port/x.git", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasNoCause()
        .message()
        .doesNotContain("tok:en");
  }

  @Test
  void givenLeaseThatNoLongerHolds_whenPush_itShouldReportRemoteChangedAndKeepTheBranch(
      @TempDir Path temp) throws Exception {
    try (LocalOrigin origin = LocalOrigin.create(temp)) {
      String branch = "silo/acme-crm";
      String pushedMeanwhile = origin.commitAndPush(branch);
      GitRemote local = new GitRemote(origin.remote(), null);
      CacheRepository cache = new CacheRepository(temp.resolve("cache"));

      List<RemoteRefUpdate> updates =
          cache.use(
              repository -> {
                ObjectId main = local.fetch(repository, "main");
                return List.of(
                    local.push(repository, branch, main, ObjectId.zeroId()),
                    local.push(repository, branch, main, ObjectId.fromString(origin.mainCommit())));
              });

      assertThat(updates)
          .extracting(RemoteRefUpdate::getStatus)
          .containsOnly(RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED);
      assertThat(origin.revParse(branch)).isEqualTo(pushedMeanwhile);
    }
  }
}
