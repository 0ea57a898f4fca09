package org.rheumalens.imaging;

import java.nio.file.Path;

/** DICOM Part 10 files through PixelMed. */
public final class DicomImageReader implements ImageFormatReader {

  @Override
  public boolean recognises(byte[] head) {
    return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
  }

  @Override
  public Radiograph read(Path file, ImageLimits limits) throws ImageReadException {
    throw new ImageReadException(file.toString(), "DICOM reading is being implemented");
  }
}
