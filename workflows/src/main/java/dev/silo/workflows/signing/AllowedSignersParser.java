package dev.silo.workflows.signing;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Reads git's allowed-signers format, one line at a time; see {@link AllowedSigners#parse}. */
final class AllowedSignersParser {

  private final String source;

  AllowedSignersParser(String source) {
    this.source = source == null ? "allowed signers" : source;
  }

  List<AllowedSigner> parse(String text) throws AllowedSignersException {
    List<AllowedSigner> signers = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      signers.add(parseLine(line, i + 1));
    }
    return signers;
  }

  private AllowedSigner parseLine(String line, int number) throws AllowedSignersException {
    List<String> fields = fields(line, number);
    List<String> principals = principals(fields.get(0), number);
    int next = 1;
    List<String> namespaces = null;
    if (fields.size() > next && !looksLikeKeyType(fields.get(next))) {
      namespaces = options(fields.get(next), number);
      next++;
    }
    if (fields.size() <= next) {
      throw error(number, "a key type and a key must follow the principals");
    }
    String keyType = fields.get(next);
    if (!SshPublicKeys.TYPES.contains(keyType)) {
      throw error(number, "key type " + keyType + " is not supported (" + String.join(", ", SshPublicKeys.TYPES) + ")");
    }
    if (fields.size() <= next + 1) {
      throw error(number, "the base64 key is missing after " + keyType);
    }
    String key = fields.get(next + 1);
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      throw error(number, "the key is not valid base64");
    }
    String inner;
    try {
      inner = SshSignatureFormat.keyType(blob);
    } catch (IllegalArgumentException e) {
      throw error(number, "the key is not an SSH public key blob");
    }
    if (!inner.equals(keyType)) {
      throw error(number, "the key is of type " + printable(inner) + " but the line says " + keyType);
    }
    try {
      SshPublicKeys.parse(blob);
    } catch (IllegalArgumentException e) {
      throw error(number, "the " + keyType + " key does not parse");
    }
    return new AllowedSigner(principals, namespaces, keyType, key, number);
  }

  private List<String> principals(String field, int number) throws AllowedSignersException {
    String list = unquote(field);
    List<String> principals = new ArrayList<>();
    for (String principal : list.split(",", -1)) {
      if (principal.isEmpty()) {
        throw error(number, "an empty principal in " + field);
      }
      if (principal.indexOf('*') >= 0 || principal.indexOf('?') >= 0 || principal.startsWith("!")) {
        throw error(number, "principal pattern " + principal
            + " is not supported: name each principal, so that a decision records who made it");
      }
      principals.add(principal);
    }
    return List.copyOf(principals);
  }

  private List<String> options(String field, int number) throws AllowedSignersException {
    List<String> namespaces = null;
    for (String option : splitOutsideQuotes(field, ',')) {
      int equals = option.indexOf('=');
      String name = (equals < 0 ? option : option.substring(0, equals)).toLowerCase(Locale.ROOT);
      switch (name) {
        case "namespaces" -> {
          if (equals < 0) {
            throw error(number, "namespaces needs a value: namespaces=\"silo-deployer\"");
          }
          if (namespaces != null) {
            throw error(number, "namespaces is given twice");
          }
          namespaces = namespaces(unquote(option.substring(equals + 1)), number);
        }
        case "cert-authority", "valid-after", "valid-before" ->
            throw error(number, "option " + name + " is not supported: list each signer's own key");
        default -> throw error(number, "unknown option " + printable(option)
            + " (or an unsupported key type in its place)");
      }
    }
    return namespaces;
  }

  private List<String> namespaces(String list, int number) throws AllowedSignersException {
    List<String> namespaces = new ArrayList<>();
    for (String namespace : list.split(",", -1)) {
      if (namespace.isEmpty()) {
        throw error(number, "an empty namespace in namespaces=\"" + list + "\"");
      }
      if (namespace.startsWith("!")) {
        throw error(number, "negated namespace " + namespace + " is not supported");
      }
      namespaces.add(namespace);
    }
    return List.copyOf(namespaces);
  }

  /** Splits a line into its whitespace-separated fields; a double-quoted part may hold spaces. */
  private List<String> fields(String line, int number) throws AllowedSignersException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        field.append(c);
      } else if (!quoted && (c == ' ' || c == '\t')) {
        if (field.length() > 0) {
          fields.add(field.toString());
          field.setLength(0);
        }
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw error(number, "a double quote is not closed");
    }
    if (field.length() > 0) {
      fields.add(field.toString());
    }
    return fields;
  }

  private static List<String> splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == separator && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  private static String unquote(String text) {
    return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
        ? text.substring(1, text.length() - 1)
        : text;
  }

  /** Key types look like {@code ssh-ed25519} or {@code sk-...@openssh.com}; options never do. */
  private static boolean looksLikeKeyType(String field) {
    return SshPublicKeys.TYPES.contains(field)
        || field.matches("(ssh|ecdsa|sk|rsa|x509v3)-[A-Za-z0-9@.-]+")
        || field.endsWith("@openssh.com");
  }

  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(80).forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return text.codePointCount(0, text.length()) > 80 ? out + "..." : out.toString();
  }

  private AllowedSignersException error(int number, String problem) {
    return new AllowedSignersException(source + ":" + number + ": " + problem);
  }
}
