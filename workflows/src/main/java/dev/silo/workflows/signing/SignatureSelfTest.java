package dev.silo.workflows.signing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A known-answer test of the signature verifier: one fixed signature per key type (Ed25519, ECDSA
 * P-256, RSA with SHA-2), made once with {@code ssh-keygen -Y sign} by throw-away keys whose
 * private halves were deleted.
 *
 * <p>It has two uses. It proves at a worker's start that the verifier accepts what OpenSSH
 * signs. And it loads the cryptography's classes before any workflow needs them: the first
 * verification loads many classes from signed jars, which on a busy machine takes longer than the
 * one second the SDK gives a workflow task before it reports a potential deadlock.
 */
public final class SignatureSelfTest {

  /** The message every vector signs. */
  static final String MESSAGE = "silo-deployer signature self-test";

  private record Vector(String keyType, String publicKey, String signature) {}

  private static final List<Vector> VECTORS = List.of(
      new Vector("ed25519", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIClhr6QPL8qP+KOeRYPdTsMfuXd5XpAfAnu8ZRVX0tQZ",
        "-----BEGIN SSH SIGNATURE-----\n"
        + "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgKWGvpA8vyo/4o55Fg91Owx+5d3\n"
        + "lekB8Ce7xlFVfS1BkAAAANc2lsby1kZXBsb3llcgAAAAAAAAAGc2hhNTEyAAAAUwAAAAtz\n"
        + "c2gtZWQyNTUxOQAAAEA+OaWQQEAoUr+HBWT4tvpcLqvnrplKMqoowZo0O29+2sk49jVMIc\n"
        + "ZompDgGBxu/ZkaNsD7J8dCmuGEeWCKQbMN\n"
        + "-----END SSH SIGNATURE-----\n"),
      new Vector("ecdsa", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNtIz0AfFKL8hAV01iHDJ77jOSEMtVNl93C9kw2sSpFAB8TH9wHW0uZhVWrPxhAi+lainekThbvl0Ons77uhKDE=",
        "-----BEGIN SSH SIGNATURE-----\n"
        + "U1NIU0lHAAAAAQAAAGgAAAATZWNkc2Etc2hhMi1uaXN0cDI1NgAAAAhuaXN0cDI1NgAAAE\n"
        + "EE20jPQB8UovyEBXTWIcMnvuM5IQy1U2X3cL2TDaxKkUAHxMf3AdbS5mFVas/GECL6VqKd\n"
        + "6ROFu+XQ6ezvu6EoMQAAAA1zaWxvLWRlcGxveWVyAAAAAAAAAAZzaGE1MTIAAABlAAAAE2\n"
        + "VjZHNhLXNoYTItbmlzdHAyNTYAAABKAAAAIQC0Q+S7isgte5G5xGnU2Acw9nDa9GGfih+V\n"
        + "Bwlrj2JInQAAACEAxdc+lIzBi5GyVEXFna3Pwle+RPg4+XZ5y4Yh68XVFz8=\n"
        + "-----END SSH SIGNATURE-----\n"),
      new Vector("rsa", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCeqeG29Z42BMlIUZlkdfiE0ljfcq3s74rUnEA5ITIPJSQj8X2cFjq+wsYGzshwzJzirgwQsB9u0TE7a9c0oukfhsHuD36sro5yDRdYHrxxyFE/hrVVjz5pr77T7rw8K7cRi1PN30dcu1sT3WbBEhdCZLC9lLehwdV4IdsrAIwMnfs72neTfPS8xi1IoZv6vQMfA7ITgv78vdwlMHwJHx8upSu4XDkRybUs3q+6aRsJQwXQbDKGLoiR+/VlzF3r8G5fRtQJm6Thm4m0uvi2IcgCPBfU5KpQIqRsMq/XWVXaIz9cA/JoLi8R+XNryS7NaRHe1ghRZCsvR82mUxWC4yrw+nPCjPioLHbL2sZekDfKf1n88x/J88ZpoUcBrnlE9iypURqYQDMTWgqReyapyVFEKDnG65MnnvIXxQMgFI3CaTKlYFITxbEyNInAJrkeyHiPjn8PzxYM9XibnhkMm5+wWGduUrdJzG6KDd5ENV+sk+fE/A6hkp1hGgesfh0TyTE=",
        "-----BEGIN SSH SIGNATURE-----\n"
        + "U1NIU0lHAAAAAQAAAZcAAAAHc3NoLXJzYQAAAAMBAAEAAAGBAJ6p4bb1njYEyUhRmWR1+I\n"
        + "TSWN9yrezvitScQDkhMg8lJCPxfZwWOr7CxgbOyHDMnOKuDBCwH27RMTtr1zSi6R+Gwe4P\n"
        + "fqyujnINF1gevHHIUT+GtVWPPmmvvtPuvDwrtxGLU83fR1y7WxPdZsESF0JksL2Ut6HB1X\n"
        + "gh2ysAjAyd+zvad5N89LzGLUihm/q9Ax8DshOC/vy93CUwfAkfHy6lK7hcORHJtSzer7pp\n"
        + "GwlDBdBsMoYuiJH79WXMXevwbl9G1AmbpOGbibS6+LYhyAI8F9TkqlAipGwyr9dZVdojP1\n"
        + "wD8mguLxH5c2vJLs1pEd7WCFFkKy9HzaZTFYLjKvD6c8KM+Kgsdsvaxl6QN8p/WfzzH8nz\n"
        + "xmmhRwGueUT2LKlRGphAMxNaCpF7JqnJUUQoOcbrkyee8hfFAyAUjcJpMqVgUhPFsTI0ic\n"
        + "AmuR7IeI+Ofw/PFgz1eJueGQybn7BYZ25St0nMbooN3kQ1X6yT58T8DqGSnWEaB6x+HRPJ\n"
        + "MQAAAA1zaWxvLWRlcGxveWVyAAAAAAAAAAZzaGE1MTIAAAGUAAAADHJzYS1zaGEyLTUxMg\n"
        + "AAAYAbz1gVqIKtE6J9m3ZOVxcaVHrTfGVO9wSJDWAWPs0omdBQ8b4Bte7DJWtUsYdYT2pN\n"
        + "Ev+GOVXrYKNeWe2KAqMrt/3AU5oHRFk5JqzebwTXe8AcWeI79xirHAwUd4AvfWWE/ZC0dF\n"
        + "VKVJ1yVwhPXvLMQfMKGg7uExFy6DPVP727pLPuruXRiU9W3kAbYBqBMzwHqpx+Rx7unye8\n"
        + "/W+7hMbaCbEJ7XOPQrY0XRamTPZ+YboBOqFhc/f0bmmO/kdU0T7Y0RItr4xkxq6PBGsctz\n"
        + "YebgNDwlsCehjfofe1Vojgy1ttCltosaSQPxM43VIUTbBZZ/SwlGSF1YYFazzBunM1IgqB\n"
        + "O5KVOvYIayvIuwFNizhyEeih9pQAzhD1ibwpnOF9kmKhuZano4EhrapYpdmWoQix7/wsw+\n"
        + "19HgxzwU0D+WnA7w2bGi+udysV/gfEs8j6XTPiEJc6BsIyrWvNFX5sWZxufk4R90KUge92\n"
        + "dG86UuBQnw5BxAJS9VeHajmS/HY=\n"
        + "-----END SSH SIGNATURE-----\n"));

  private static volatile boolean passed;

  private SignatureSelfTest() {}

  /**
   * Verifies every vector once per JVM.
   *
   * @throws IllegalStateException when a vector does not verify: the verifier is broken, and no
   *     signed decision could be trusted
   */
  public static void run() {
    if (passed) {
      return;
    }
    StringBuilder signers = new StringBuilder();
    for (Vector vector : VECTORS) {
      signers.append(vector.keyType()).append("@self-test ").append(vector.publicKey()).append('\n');
    }
    try {
      AllowedSigners trusted = AllowedSigners.parse(signers.toString(), "self-test");
      for (Vector vector : VECTORS) {
        VerifiedSigner signer = SshSignatures.verify(trusted, DecisionText.NAMESPACE,
            MESSAGE.getBytes(StandardCharsets.UTF_8), vector.signature());
        if (!signer.principal().equals(vector.keyType() + "@self-test")) {
          throw new IllegalStateException("signature self-test: the " + vector.keyType()
              + " vector verified as " + signer.principal());
        }
      }
    } catch (AllowedSignersException | SignatureRefusedException e) {
      throw new IllegalStateException("signature self-test failed: " + e.getMessage(), e);
    }
    passed = true;
  }
}
