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
public record AllowedSigner(List<String> principals, List<String> namespaces, String keyType, String key, int line) {}
