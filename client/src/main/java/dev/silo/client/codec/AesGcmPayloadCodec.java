package dev.silo.client.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts every payload with AES-256-GCM so that secrets produced at run time cross workflow
 * history only as ciphertext.
 *
 * <p>An encrypted payload carries the metadata {@code encoding: binary/encrypted} and {@code
 * encryption-key-id: <id>}; its data is a random 12-byte nonce followed by the GCM ciphertext (with
 * its 16-byte tag) of the whole original payload, metadata included, as {@link
 * Payload#toByteArray()} serializes it. Payloads without the encrypted encoding pass {@link
 * #decode} untouched, so histories written before encryption was enabled stay readable.
 *
 * <p>Instances are thread-safe.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {

  /** The value of the {@code encoding} metadata entry on an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** The metadata entry that names the key a payload was encrypted with. */
  public static final String METADATA_KEY_ID = "encryption-key-id";

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);

  // SecureRandom is thread-safe; one instance avoids reseeding costs on every payload.
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec secretKey;
  private final String keyId;
  private final ByteString keyIdBytes;

  /** Creates a codec that encrypts with, and only decrypts for, the given key. */
  public AesGcmPayloadCodec(PayloadKey key) {
    Objects.requireNonNull(key, "key");
    this.secretKey = new SecretKeySpec(key.key(), "AES");
    this.keyId = key.keyId();
    this.keyIdBytes = ByteString.copyFromUtf8(keyId);
  }

  /** The id of the key this codec uses, as written to each payload's metadata. */
  public String keyId() {
    return keyId;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    List<Payload> encoded = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      encoded.add(encrypt(payload));
    }
    return encoded;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> decoded = new ArrayList<>(payloads.size());
    for (Payload payload : payloads) {
      decoded.add(isEncrypted(payload) ? decrypt(payload) : payload);
    }
    return decoded;
  }

  private static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataMap().get(EncodingKeys.METADATA_ENCODING_KEY));
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] ciphertext;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, secretKey, new GCMParameterSpec(TAG_BITS, nonce));
      ciphertext = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot encrypt payload with key id " + keyId, e);
    }
    ByteBuffer data = ByteBuffer.allocate(NONCE_BYTES + ciphertext.length);
    data.put(nonce).put(ciphertext).flip();
    return Payload.newBuilder()
        .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCODING_BYTES)
        .putMetadata(METADATA_KEY_ID, keyIdBytes)
        .setData(ByteString.copyFrom(data))
        .build();
  }

  private Payload decrypt(Payload payload) {
    ByteString payloadKeyId = payload.getMetadataMap().get(METADATA_KEY_ID);
    if (payloadKeyId == null) {
      throw new PayloadCodecException(
          "encrypted payload has no " + METADATA_KEY_ID + " metadata: it cannot be decrypted");
    }
    if (!keyIdBytes.equals(payloadKeyId)) {
      throw new PayloadCodecException(
          "payload was encrypted with key id "
              + payloadKeyId.toString(StandardCharsets.UTF_8)
              + " but this process holds key id "
              + keyId
              + ": give it the same key as the worker (SILO_PAYLOAD_KEY or SILO_PAYLOAD_KEY_FILE)");
    }
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "encrypted payload (key id " + keyId + ") is truncated: " + data.length + " bytes");
    }
    byte[] plaintext;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE, secretKey, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      plaintext = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "encrypted payload (key id " + keyId + ") failed authentication: it was altered", e);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot decrypt payload with key id " + keyId, e);
    }
    try {
      return Payload.parseFrom(plaintext);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "decrypted payload (key id " + keyId + ") is not a serialized Payload", e);
    }
  }
}
