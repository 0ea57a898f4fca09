package org.rheumalens.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes (NIST SP 800-132; 310,000 iterations as OWASP advises for this function), with a
 * random 16-byte salt, stored as {@code pbkdf2-sha256$iterations$salt$hash}. Verification is constant-time.
 */
public final class PasswordHasher {

  public static final int ITERATIONS = 310_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  public static final int MIN_LENGTH = 10;

  private final SecureRandom random = new SecureRandom();
  private final int iterations;
  private final String dummy;

  public PasswordHasher() {
    this(ITERATIONS);
  }

  /** Fewer iterations only for tests that create many users. */
  public PasswordHasher(int iterations) {
    this.iterations = iterations;
    this.dummy = hash("not-a-password-of-anyone".toCharArray());
  }

  public String hash(char[] password) {
    if (String.valueOf(password).strip().length() < MIN_LENGTH) {
      throw new IllegalArgumentException("passwords need at least " + MIN_LENGTH + " characters besides leading and "
          + "trailing spaces");
    }
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(password, salt, iterations));
  }

  /**
   * {@link #verify} when there is a stored hash; without one (no such user, or deactivated) the same work against a
   * dummy hash, so the answer takes as long and response times do not tell which user names exist.
   */
  public boolean verify(char[] password, java.util.Optional<String> stored) {
    if (stored.isPresent()) {
      return verify(password, stored.get());
    }
    verify(password, dummy);
    return false;
  }

  public boolean verify(char[] password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 missing from the JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
