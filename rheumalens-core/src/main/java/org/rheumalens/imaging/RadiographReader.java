package org.rheumalens.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads PNG, JPEG, TIFF, BMP or DICOM files into {@link Radiograph}s, choosing the reader by content, not name. */
public final class RadiographReader {

  private final List<ImageFormatReader> readers;
  private final ImageLimits limits;

  public RadiographReader(List<ImageFormatReader> readers, ImageLimits limits) {
    this.readers = List.copyOf(readers);
    this.limits = limits;
  }

  /** PNG/JPEG/TIFF/BMP through ImageIO and DICOM through PixelMed, with the default size limits; refuses colour. */
  public static RadiographReader standard() {
    return standard(ColourHandling.REFUSE);
  }

  /** As {@link #standard()}, with images in true colour refused or read as grey as the task asks. */
  public static RadiographReader standard(ColourHandling colour) {
    return new RadiographReader(
        List.of(new DicomImageReader(colour), new RasterImageReader(colour)), ImageLimits.DEFAULT);
  }

  /** Reads one file; every failure is an {@link ImageReadException} naming the file and the cause. */
  public Radiograph read(Path file) throws ImageReadException {
    String source = file.toString();
    requireRegularFile(file);
    byte[] head = new byte[132];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new ImageReadException(source, "cannot open: " + e.getMessage(), e);
    }
    if (n == 0) {
      throw new ImageReadException(source, "file is empty (0 bytes)");
    }
    byte[] actual = n == head.length ? head : java.util.Arrays.copyOf(head, n);
    for (ImageFormatReader reader : readers) {
      if (reader.recognises(actual)) {
        try {
          return reader.read(file, limits);
        } catch (ImageReadException e) {
          throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
          throw new ImageReadException(source, "cannot decode: " + ImageReadException.describe(e), e);
        }
      }
    }
    throw new ImageReadException(
        source, "not a PNG, JPEG, TIFF, BMP or DICOM file (unrecognised content; the extension is not trusted)");
  }

  /**
   * Refuses what is not a regular file without opening it: a link to /dev/zero or a pipe would be read forever. For
   * whoever copies a file before reading it (the importer).
   */
  public static void requireRegularFile(Path file) throws ImageReadException {
    if (!Files.isRegularFile(file)) {
      throw new ImageReadException(file.toString(), "not a readable file: " + whatItIs(file));
    }
  }

  private static String whatItIs(Path file) {
    if (Files.isDirectory(file)) {
      return "a folder";
    }
    if (Files.exists(file)) {
      return "a device, pipe or socket" + (Files.isSymbolicLink(file) ? " (a link to one)" : "");
    }
    return Files.isSymbolicLink(file) ? "a broken link" : "no such file";
  }
}
