package dev.silo.workflows.signing;

/**
 * Who made a signature that verified.
 *
 * @param principal the principal the allowed-signers file maps the key to
 * @param fingerprint the key's fingerprint as {@code ssh-keygen -l} prints it ({@code SHA256:...})
 * @param keyType the key's type ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa})
 */
public record VerifiedSigner(String principal, String fingerprint, String keyType) {}
