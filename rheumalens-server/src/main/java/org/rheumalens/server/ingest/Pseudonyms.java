package org.rheumalens.server.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rheumalens.server.DataFolder;

/**
 * Stable pseudonyms: HMAC-SHA256 of the source identifier under a site key kept in the data folder. The same patient
 * always gets the same pseudonym at this site; without the key the pseudonym cannot be traced back.
 */
public final class Pseudonyms {

  private final byte[] key;

  private Pseudonyms(byte[] key) {
    this.key = key;
  }

  /** Loads the site key from {@code dataDir/pseudonym.key}, creating it (owner-only) on first use. */
  public static Pseudonyms forDataDir(Path dataDir) throws IOException {
    return new Pseudonyms(DataFolder.secret(dataDir, "pseudonym.key", 32));
  }

  /** "P-" and 12 hex digits for a patient identifier. */
  public String patient(String sourceId) {
    return "P-" + hmac("patient:" + sourceId).substring(0, 12);
  }

  /** A 64-hex key for a study identity (e.g. its Study Instance UID), so the UID itself is never stored. */
  public String study(String sourceIdentity) {
    return hmac("study:" + sourceIdentity);
  }

  /**
   * Days this patient's dates move back (1-365) under PS3.15's Modified Dates option: the same for all of their
   * studies, so intervals stay true; unknowable without the site key.
   */
  public int dateShiftDays(String sourceId) {
    return 1 + Integer.parseUnsignedInt(hmac("dateshift:" + sourceId).substring(0, 7), 16) % 365;
  }

  private String hmac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
    }
  }
}
