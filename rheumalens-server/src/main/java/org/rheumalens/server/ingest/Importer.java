package org.rheumalens.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.rheumalens.imaging.DicomImageReader;
import org.rheumalens.imaging.ImageLimits;
import org.rheumalens.imaging.ImageReadException;
import org.rheumalens.imaging.Radiograph;
import org.rheumalens.imaging.RadiographReader;
import org.rheumalens.imaging.RasterImageReader;
import org.rheumalens.io.Sha256;
import org.rheumalens.server.DataFolder;
import org.rheumalens.server.store.AuditLog;
import org.rheumalens.server.store.CaseStore;
import org.rheumalens.server.store.User;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.ModalityCheck;

/**
 * Takes an uploaded or imported file in: checks it decodes (a bad file is refused with its cause and nothing is
 * stored), reads who and what it is about, stores a de-identified copy, and queues it for the AI, all recorded in the
 * audit log in the same transaction as the rows it adds.
 */
public final class Importer {

  /** What happened to one input; a duplicate keeps the task it was first stored for. */
  /** One stored (or already stored) image; {@code pixels}: what decoding it cost. */
  public record Imported(long imageId, String patient, boolean duplicate, String taskId, long pixels) {}

  /**
   * The server's bound on image size, below the readers' bomb limit: 40 megapixels covers a 43 cm detector at 0.07 mm;
   * a 10000x10000 upload cost 10 s and 0.6 GB to store and 5 s per view.
   */
  public static final ImageLimits LIMITS = new ImageLimits(40_000_000L, 8_192);
  private static final int CONCURRENT_DECODES = 2;
  private final Semaphore decoding = new Semaphore(CONCURRENT_DECODES, true);

  private final CaseStore cases;
  private final AuditLog audit;
  private final ImageArchive archive;
  private final Pseudonyms pseudonyms;
  private final Path incoming;

  public Importer(CaseStore cases, AuditLog audit, ImageArchive archive, Pseudonyms pseudonyms, Path incoming) throws IOException {
    this.cases = cases;
    this.audit = audit;
    this.archive = archive;
    this.pseudonyms = pseudonyms;
    this.incoming = DataFolder.privateDirectories(incoming);
  }

  /**
   * Imports {@code content} named {@code originalName} for {@code task}, read as that task reads its inputs (an
   * ultrasound task takes colour exports as grey, a radiograph task refuses them); {@code patientHint} names the
   * patient of a plain image file. The original name is only a hint (patient id and side of OAI-style knee crops);
   * what is stored, listed and audited is a display name derived from the pixels, since names often carry PHI.
   *
   * @throws ImageReadException when the file is not an image RheumaLens can read (the message names the cause)
   */
  public Imported importStream(InputStream content, String originalName, String patientHint, GradingTask task, User user)
      throws IOException, ImageReadException {
    String shownName = UploadName.forMessages(originalName);
    if (task.inputChannels() != 1) {
      // The archive keeps one grey plane per image, so a colour task's finding (the Doppler signal) would be lost.
      throw new ImageReadException(shownName, "task " + task.id() + " reads colour (input.channels "
          + task.inputChannels() + "), which the review server does not store yet; grade such files with "
          + "'rheumalens grade --model DIR FILE'");
    }
    Path tmp = Files.createTempFile(incoming, "upload-", ".bin");
    try {
      String sha256 = copyHashing(content, tmp);
      Radiograph radiograph;
      ImageArchive.Stored stored;
      // Decoding and packing hold the whole image in memory: a few at a time, however many uploads arrive at once.
      decoding.acquireUninterruptibly();
      try {
        try {
          radiograph = reader(task).read(tmp);
        } catch (ImageReadException e) {
          // The reader names the file it read; the user knows the upload by its own name.
          String prefix = tmp + ": ";
          String cause = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
          throw new ImageReadException(shownName, cause, e);
        }
        // A CT or MR file for a radiograph task is read fine but must not be stored for grading (nor graded later).
        Optional<String> wrongModality =
            ModalityCheck.refusal(radiograph.modality(), task.definition().modality(), task.id());
        if (wrongModality.isPresent()) {
          throw new ImageReadException(shownName, wrongModality.get());
        }
        stored = archive.store(radiograph, sha256);
      } finally {
        decoding.release();
      }
      SourceMetadata meta = radiograph.format().startsWith("DICOM")
          ? SourceMetadata.fromDicom(tmp, sha256)
          : SourceMetadata.forPlainImage(UploadName.baseName(originalName), patientHint, sha256, LocalDate.now());
      String pseudonym = pseudonyms.patient(meta.patientId());
      String phiWarning = KeptHeader.phiWarning(tmp, radiograph);
      String displayName = displayName(sha256, radiograph.format());
      return audit.transaction(h -> {
        long patientId = cases.patient(h, pseudonym, meta.birthYear(), KeptHeader.sex(meta));
        long studyId = cases.study(h, patientId, pseudonyms.study(meta.studyIdentity()), KeptHeader.studyDate(meta, pseudonyms),
            meta.modality(), meta.bodyPart(), KeptHeader.description(meta));
        Optional<Long> existing = cases.imageBySha(h, studyId, sha256);
        if (existing.isPresent()) {
          audit.record(h, user, "upload_duplicate", "image", existing.get(), displayName);
          return new Imported(existing.get(), pseudonym, true, cases.taskOfImage(h, existing.get()), pixels(radiograph));
        }
        long imageId = cases.insertImage(h, task.id(), studyId, sha256, stored.relativePath(), displayName, radiograph.format(),
            radiograph.width(), radiograph.height(), radiograph.pixelSpacing().map(Radiograph.PixelSpacing::rowMm).orElse(null),
            meta.laterality(), radiograph.modality(), stored.packing().scale(), stored.packing().offset(),
            radiograph.bitsStored(), radiograph.invert(), radiograph.window().map(Radiograph.Window::center).orElse(null),
            radiograph.window().map(Radiograph.Window::width).orElse(null));
        if (phiWarning != null) {
          cases.setPhiWarning(h, imageId, phiWarning);
        }
        audit.record(h, user, "upload", "image", imageId, displayName + " (" + radiograph.format() + ", " + radiograph.width()
            + "x" + radiograph.height() + ", task " + task.id() + ")");
        return new Imported(imageId, pseudonym, false, task.id(), pixels(radiograph));
      });
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static long pixels(Radiograph radiograph) {
    return (long) radiograph.width() * radiograph.height();
  }

  /** What the worklist, case view, reports and audit log call an image: its format and the start of its hash. */
  static String displayName(String sha256, String format) {
    String extension = format.startsWith("DICOM") ? ".dcm" : format.toUpperCase(java.util.Locale.ROOT).startsWith("JPEG")
        ? ".jpg" : ".png";
    return "image-" + sha256.substring(0, 12) + extension;
  }

  private static RadiographReader reader(GradingTask task) {
    return new RadiographReader(List.of(new DicomImageReader(task.colourHandling()), new RasterImageReader(task.colourHandling())),
        LIMITS);
  }

  public Imported importFile(Path file, String patientHint, GradingTask task, User user) throws IOException, ImageReadException {
    RadiographReader.requireRegularFile(file); // it is copied before it is read: a link to /dev/zero never ends
    try (InputStream in = Files.newInputStream(file)) {
      return importStream(in, file.getFileName().toString(), patientHint, task, user);
    }
  }

  private static String copyHashing(InputStream content, Path target) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (DigestInputStream in = new DigestInputStream(content, digest)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return Sha256.hex(digest);
  }
}
