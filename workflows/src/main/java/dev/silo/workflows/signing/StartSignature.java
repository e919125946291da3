package dev.silo.workflows.signing;

/**
 * The requester's signature over a start request ({@link DecisionText#start}).
 *
 * @param signedAt when it was signed, ISO-8601 instant
 * @param signature the armored SSHSIG signature ({@code -----BEGIN SSH SIGNATURE-----})
 */
public record StartSignature(String signedAt, String signature) {}
