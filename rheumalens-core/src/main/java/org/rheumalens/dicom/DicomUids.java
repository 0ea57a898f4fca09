package org.rheumalens.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/** New DICOM UIDs under the 2.25 root (PS3.5 B.2: a UUID as one decimal integer), so no registered root is needed. */
public final class DicomUids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DicomUids() {}

  /** A fresh, globally unique UID. */
  public static String fresh() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    // Version 4, variant 1 as in a random UUID.
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    return "2.25." + new BigInteger(1, bytes);
  }

  /** The same UID for the same name (a name-based UUID), e.g. a device observer UID from a model card's hash. */
  public static String named(String name) {
    UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return "2.25." + new BigInteger(1, b.array());
  }
}
