package dev.silo.starter.signing;

import dev.silo.workflows.signing.SshSignatureFormat;
import dev.silo.workflows.signing.SshWireReader;
import java.io.IOException;

/** Signs through ssh-agent with one of the keys it holds; the private key never leaves the agent. */
final class AgentKeySigner implements DecisionSigner {

  private final SshAgent agent;
  private final SshAgent.Identity identity;

  AgentKeySigner(SshAgent agent, SshAgent.Identity identity) {
    this.agent = agent;
    this.identity = identity;
  }

  @Override
  public String sign(byte[] message, String namespace) throws SigningException {
    byte[] data = SshSignatureFormat.signedData(namespace, SshSignatureFormat.SHA512, message);
    boolean rsa = "ssh-rsa".equals(new SshWireReader(identity.publicKey()).utf8());
    byte[] signature;
    try {
      signature = agent.sign(identity.publicKey(), data, rsa ? SshAgent.RSA_SHA2_512 : 0);
    } catch (IOException e) {
      throw new SigningException("cannot sign through ssh-agent at " + agent.socket() + ": " + e.getMessage(), e);
    }
    if (signature == null) {
      throw new SigningException("ssh-agent refused to sign with key " + fingerprint() + " (" + identity.comment() + ")");
    }
    return SshSignatureFormat.armor(identity.publicKey(), namespace, SshSignatureFormat.SHA512, signature);
  }

  @Override
  public String fingerprint() {
    return SshSignatureFormat.fingerprint(identity.publicKey());
  }

  @Override
  public String description() {
    return "ssh-agent (" + identity.comment() + ")";
  }
}
