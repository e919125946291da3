package dev.silo.activities.signing;

import dev.silo.workflows.signing.AllowedSigners;
import dev.silo.workflows.signing.AllowedSignersException;
import dev.silo.workflows.signing.TrustActivities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Serves the allowed-signers file the worker read when it started ({@code SILO_ALLOWED_SIGNERS}).
 * The file is read once: a worker whose file does not parse refuses to start, so a run never meets
 * a half-read list; a changed file takes effect when the worker restarts.
 */
public final class TrustActivitiesImpl implements TrustActivities {

  /** The worker's allowed-signers file, in git's format. */
  public static final String ALLOWED_SIGNERS_VARIABLE = "SILO_ALLOWED_SIGNERS";

  private final AllowedSigners signers;

  public TrustActivitiesImpl(AllowedSigners signers) {
    this.signers = Objects.requireNonNull(signers, "signers");
  }

  /**
   * Reads the allowed-signers file the settings name; {@link AllowedSigners#none()} when they name
   * none.
   *
   * @throws IllegalArgumentException one line naming the file (and the line) that cannot be read
   *     or does not parse
   */
  public TrustActivitiesImpl(TrustSettings settings) {
    this(settings.allowedSigners().map(TrustActivitiesImpl::read).orElse(AllowedSigners.none()));
  }

  /** Reads and parses an allowed-signers file. */
  public static AllowedSigners read(Path file) {
    String source = file.toAbsolutePath().normalize().toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(ALLOWED_SIGNERS_VARIABLE + ": cannot read " + source + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    try {
      return AllowedSigners.parse(text, source);
    } catch (AllowedSignersException e) {
      throw new IllegalArgumentException(ALLOWED_SIGNERS_VARIABLE + ": " + e.getMessage(), e);
    }
  }

  /** Whether decisions are verified: the worker has an allowed-signers file. */
  public boolean configured() {
    return signers.configured();
  }

  /** The number of keys the file lists. */
  public int keys() {
    return signers.signers().size();
  }

  @Override
  public AllowedSigners allowedSigners() {
    return signers;
  }
}
