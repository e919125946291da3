package dev.silo.workflows.signing;

import java.util.List;

/**
 * The keys the worker trusts, as its allowed-signers file ({@code SILO_ALLOWED_SIGNERS}) lists
 * them. A run takes a copy through an activity, so that what it accepted replays the same.
 *
 * @param source the file it was read from; null when the worker has none
 * @param signers the file's entries, in order
 */
public record AllowedSigners(String source, List<AllowedSigner> signers) {

  public AllowedSigners {
    signers = signers == null ? List.of() : List.copyOf(signers);
  }

  /** The worker has no allowed-signers file: decisions are unauthenticated. */
  public static AllowedSigners none() {
    return new AllowedSigners(null, List.of());
  }

  /** Whether the worker has an allowed-signers file. */
  public boolean configured() {
    return source != null;
  }

  /**
   * Parses a file in git's allowed-signers format: one entry per line, {@code principals
   * [options] keytype base64-key [comment]}; blank lines and {@code #} comments skipped.
   *
   * <p>Principals are a comma-separated list, optionally double-quoted; each must name one
   * principal, since a decision records who made it, so patterns ({@code *}, {@code ?}, {@code !})
   * are refused. The one option honoured is {@code namespaces="a,b"}, which restricts the key to
   * those namespaces ({@code *} and {@code ?} match as in OpenSSH patterns); {@code
   * cert-authority}, {@code valid-after} and {@code valid-before} are refused. Key types: Ed25519,
   * ECDSA (nistp256, nistp384, nistp521) and RSA.
   *
   * @param text the file's content
   * @param source the file's name, for messages and {@link #configured()}
   * @throws AllowedSignersException {@code source:line: problem} for the first line that does not parse
   */
  public static AllowedSigners parse(String text, String source) throws AllowedSignersException {
    return new AllowedSigners(source, new AllowedSignersParser(source).parse(text));
  }
}
