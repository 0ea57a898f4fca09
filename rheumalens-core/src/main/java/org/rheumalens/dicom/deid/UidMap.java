package org.rheumalens.dicom.deid;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rheumalens.dicom.DicomUids;

/**
 * Replacement UIDs for one de-identification run: the same input UID always gets the same new one, so a study's
 * instances stay one study, a series one series, and references between instances still resolve. Also numbers the
 * patients it meets, so two patients never merge into one de-identified identity.
 */
public final class UidMap {

  private final Map<String, String> uids = new LinkedHashMap<>();
  private final Map<String, String> patients = new LinkedHashMap<>();
  private final Map<String, Integer> shifts = new LinkedHashMap<>();
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  public synchronized String replace(String uid) {
    return uids.computeIfAbsent(uid, u -> DicomUids.fresh());
  }

  /** "ANON-0001", "ANON-0002", ... in the order patients are met; one number per source patient identity. */
  public synchronized String patient(String sourceIdentity) {
    return patients.computeIfAbsent(sourceIdentity, p -> String.format(java.util.Locale.ROOT, "ANON-%04d", patients.size() + 1));
  }

  /** Days a patient's dates move back under the Modified Dates option: 1 to 365, random, the same for one patient. */
  public synchronized int dateShiftDays(String sourceIdentity) {
    return shifts.computeIfAbsent(sourceIdentity, p -> 1 + random.nextInt(365));
  }

  public synchronized Map<String, String> uids() {
    return Map.copyOf(uids);
  }

  /**
   * Writes the mapping (original, replacement) as CSV, readable by the owner only: it re-links the output to the
   * source, so it stays with whoever may re-identify.
   */
  public synchronized void write(Path csv) throws IOException {
    Path tmp = Files.createTempFile(csv.toAbsolutePath().getParent(), "uid-map", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the folder's own protection has to do
    }
    try (Writer w = Files.newBufferedWriter(tmp)) {
      w.write("kind,original,replacement\n");
      for (var e : uids.entrySet()) {
        w.write("uid," + e.getKey() + "," + e.getValue() + "\n");
      }
      for (var e : patients.entrySet()) {
        w.write("patient," + csvField(e.getKey()) + "," + e.getValue() + "\n");
      }
      for (var e : shifts.entrySet()) {
        w.write("date-shift-days," + csvField(e.getKey()) + "," + e.getValue() + "\n");
      }
    }
    Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
