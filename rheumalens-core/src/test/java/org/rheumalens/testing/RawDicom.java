package org.rheumalens.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes DICOM Part 10 bytes element by element (explicit VR little endian), so that tests can state wrong VRs,
 * lengths and transfer syntaxes that PixelMed's writer would never produce.
 */
public final class RawDicom {

  /** VRs whose explicit encoding has two reserved bytes and a 32-bit length. */
  private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "OD", "OL", "SQ", "UT", "UN", "UC", "UR");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private RawDicom() {}

  /** Preamble, "DICM" and a file meta group naming {@code transferSyntax}. */
  public static RawDicom part10(String transferSyntax) {
    RawDicom meta = new RawDicom();
    meta.element(0x0002, 0x0001, "OB", new byte[] {0, 1});
    meta.text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.1.1");
    meta.text(0x0002, 0x0003, "UI", "1.2.3.4.5.6.7");
    meta.text(0x0002, 0x0010, "UI", transferSyntax);
    byte[] group = meta.out.toByteArray();
    RawDicom file = new RawDicom();
    file.out.writeBytes(new byte[128]);
    file.out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    file.element(0x0002, 0x0000, "UL", le(4).putInt(group.length).array());
    file.out.writeBytes(group);
    return file;
  }

  /** The Image Pixel module of a {@code rows} x {@code columns} 16-bit MONOCHROME2 image, without pixel data. */
  public RawDicom greyImage(int rows, int columns) {
    text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.1.1");
    text(0x0008, 0x0060, "CS", "DX");
    us(0x0028, 0x0002, 1);
    text(0x0028, 0x0004, "CS", "MONOCHROME2");
    us(0x0028, 0x0010, rows);
    us(0x0028, 0x0011, columns);
    us(0x0028, 0x0100, 16);
    us(0x0028, 0x0101, 12);
    us(0x0028, 0x0102, 11);
    us(0x0028, 0x0103, 0);
    return this;
  }

  /** An element whose stated length is the value's (padded to even as DICOM requires). */
  public RawDicom element(int group, int element, String vr, byte[] value) {
    byte[] even = value.length % 2 == 0 ? value : java.util.Arrays.copyOf(value, value.length + 1);
    return element(group, element, vr, even.length & 0xffffffffL, even);
  }

  /** An element whose stated length may be anything, followed by exactly {@code value}. */
  public RawDicom element(int group, int element, String vr, long statedLength, byte[] value) {
    out.writeBytes(le(4).putShort((short) group).putShort((short) element).array());
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    if (LONG_VRS.contains(vr)) {
      out.writeBytes(le(6).putShort((short) 0).putInt((int) statedLength).array());
    } else {
      out.writeBytes(le(2).putShort((short) statedLength).array());
    }
    out.writeBytes(value);
    return this;
  }

  public RawDicom text(int group, int element, String vr, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length % 2 != 0) {
      bytes = (value + (vr.equals("UI") ? "\0" : " ")).getBytes(StandardCharsets.US_ASCII);
    }
    return element(group, element, vr, bytes);
  }

  public RawDicom us(int group, int element, int value) {
    return element(group, element, "US", le(2).putShort((short) value).array());
  }

  /** 16-bit pixel data with {@code count} values of a ramp. */
  public RawDicom pixels(int count) {
    short[] ramp = new short[count];
    for (int i = 0; i < count; i++) {
      ramp[i] = (short) (i % 4096);
    }
    return pixels(ramp);
  }

  /** 16-bit pixel data with these values. */
  public RawDicom pixels(short[] values) {
    ByteBuffer data = le(2 * values.length);
    for (short v : values) {
      data.putShort(v);
    }
    return element(0x7fe0, 0x0010, "OW", data.array());
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
