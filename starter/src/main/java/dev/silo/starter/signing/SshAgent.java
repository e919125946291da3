package dev.silo.starter.signing;

import dev.silo.workflows.signing.SshWireReader;
import dev.silo.workflows.signing.SshWireWriter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of ssh-agent over its UNIX socket ({@code SSH_AUTH_SOCK}), for the two requests signing
 * needs: the keys it holds and a signature with one of them (draft-miller-ssh-agent). Each request
 * opens its own connection.
 */
final class SshAgent {

  private static final int FAILURE = 5;
  private static final int REQUEST_IDENTITIES = 11;
  private static final int IDENTITIES_ANSWER = 12;
  private static final int SIGN_REQUEST = 13;
  private static final int SIGN_RESPONSE = 14;

  /** The flag that asks for an {@code rsa-sha2-512} signature from an RSA key. */
  static final int RSA_SHA2_512 = 4;

  /** Far above any real answer; a longer one is not an agent speaking. */
  private static final int MAX_MESSAGE = 256 * 1024;

  /**
   * A key the agent holds.
   *
   * @param publicKey the public key blob
   * @param comment the comment it was added with (usually the key file)
   */
  record Identity(byte[] publicKey, String comment) {}

  private final Path socket;

  SshAgent(Path socket) {
    this.socket = socket;
  }

  /** The socket, for messages. */
  Path socket() {
    return socket;
  }

  /** The keys the agent holds, in its order. */
  List<Identity> identities() throws IOException {
    SshWireReader answer = request(new SshWireWriter().byteValue(REQUEST_IDENTITIES).toByteArray());
    int type = answer.raw(1)[0];
    if (type != IDENTITIES_ANSWER) {
      throw new IOException("ssh-agent answered " + type + " to a request for its keys");
    }
    int count = answer.uint32();
    List<Identity> identities = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      identities.add(new Identity(answer.string(), answer.utf8()));
    }
    return identities;
  }

  /**
   * The agent's signature of {@code data} with {@code publicKey}'s private key, in SSH encoding
   * ({@code string} algorithm, {@code string} signature); null when the agent refuses.
   */
  byte[] sign(byte[] publicKey, byte[] data, int flags) throws IOException {
    byte[] request = new SshWireWriter().byteValue(SIGN_REQUEST).string(publicKey).string(data).uint32(flags)
        .toByteArray();
    SshWireReader answer = request(request);
    int type = answer.raw(1)[0];
    if (type == FAILURE) {
      return null;
    }
    if (type != SIGN_RESPONSE) {
      throw new IOException("ssh-agent answered " + type + " to a signing request");
    }
    return answer.string();
  }

  private SshWireReader request(byte[] message) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(new SshWireWriter().string(message).toByteArray());
      while (out.hasRemaining()) {
        channel.write(out);
      }
      int length = ByteBuffer.wrap(readFully(channel, 4)).getInt();
      if (length <= 0 || length > MAX_MESSAGE) {
        throw new IOException("ssh-agent sent a message of " + length + " bytes");
      }
      return new SshWireReader(readFully(channel, length));
    } catch (IllegalArgumentException e) {
      throw new IOException("ssh-agent sent a malformed answer: " + e.getMessage(), e);
    }
  }

  private static byte[] readFully(SocketChannel channel, int length) throws IOException {
    ByteBuffer in = ByteBuffer.allocate(length);
    while (in.hasRemaining()) {
      if (channel.read(in) < 0) {
        throw new IOException("ssh-agent closed the connection");
      }
    }
    return in.array();
  }
}
