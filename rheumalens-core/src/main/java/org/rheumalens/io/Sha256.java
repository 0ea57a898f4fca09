package org.rheumalens.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, without the checked exception every JDK makes impossible. */
public final class Sha256 {

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** The digest's value, in hex (this completes the digest). */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hex SHA-256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    MessageDigest digest = newDigest();
    digest.update(bytes);
    return hex(digest);
  }

  /** The hex SHA-256 of a string's UTF-8 bytes. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
