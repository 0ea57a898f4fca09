package org.rheumalens.imaging;

import com.pixelmed.dicom.TransferSyntax;
import java.util.Map;
import java.util.Set;

/** A transfer syntax UID with its PS3.6 name, so that error messages say what a user can look up. */
record DicomTransferSyntax(String uid, String name) {

  // PixelMed's own descriptions miss some (deflate reads "Unrecognized") and abbreviate others.
  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("1.2.840.10008.1.2", "Implicit VR Little Endian"),
          Map.entry("1.2.840.10008.1.2.1", "Explicit VR Little Endian"),
          Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
          Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
          Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline"),
          Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended 12-bit"),
          Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless"),
          Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1"),
          Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
          Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
          Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"),
          Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
          Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K Lossless"),
          Map.entry("1.2.840.10008.1.2.4.202", "HTJ2K Lossless RPCL"),
          Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"),
          Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

  private static final Set<String> NATIVE =
      Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2");

  static DicomTransferSyntax of(String uid) {
    String name = NAMES.get(uid);
    if (name == null) {
      TransferSyntax known = new TransferSyntax(uid);
      name = known.isRecognized() ? known.getDescription() : "unknown transfer syntax";
    }
    return new DicomTransferSyntax(uid, name);
  }

  /** True when pixel data is stored as plain values, so a decoding failure means a damaged file, not a codec. */
  boolean isNative() {
    return NATIVE.contains(uid);
  }

  /** True for the image codecs of PS3.5 (JPEG, JPEG-LS, JPEG 2000, HTJ2K, RLE), which a decoder here may read. */
  boolean isImageCodec() {
    return NAMES.containsKey(uid) && !isNative();
  }

  @Override
  public String toString() {
    return uid + " (" + name + ")";
  }
}
