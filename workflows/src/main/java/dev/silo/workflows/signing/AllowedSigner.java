package dev.silo.workflows.signing;

import java.util.List;

/**
 * One line of an allowed-signers file in git's format ({@code gpg.ssh.allowedSignersFile}).
 *
 * @param principals the principals the key signs as (the first is the one recorded)
 * @param namespaces the namespaces the key may sign in ({@code namespaces="..."}); null when any
 * @param keyType the key's type as written ({@code ssh-ed25519}, ...)
 * @param key the public key blob, base64 as written
 * @param line the line of the file, for messages
 */
public record AllowedSigner(List<String> principals, List<String> namespaces, String keyType, String key, int line) {

  /** Whether this line lets its key sign in {@code namespace}. */
  public boolean allows(String namespace) {
    return namespaces == null || namespaces.stream().anyMatch(pattern -> matches(pattern, namespace));
  }

  /** OpenSSH's pattern match: {@code *} any run of characters, {@code ?} any one character. */
  private static boolean matches(String pattern, String text) {
    return matches(pattern, 0, text, 0);
  }

  private static boolean matches(String pattern, int p, String text, int t) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '*') {
        for (int rest = t; rest <= text.length(); rest++) {
          if (matches(pattern, p + 1, text, rest)) {
            return true;
          }
        }
        return false;
      }
      if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
        return false;
      }
      p++;
      t++;
    }
    return t == text.length();
  }
}
