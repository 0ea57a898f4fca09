package org.rheumalens.imaging;

import java.nio.file.Path;

/** Reads one kind of image file into a {@link Radiograph}. */
public interface ImageFormatReader {

  /** True when the first bytes of a file (up to 132) identify this reader's format. */
  boolean recognises(byte[] head);

  /** Decodes the file, or throws an {@link ImageReadException} that names the file and the cause. */
  Radiograph read(Path file, ImageLimits limits) throws ImageReadException;
}
