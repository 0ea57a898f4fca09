package org.rheumalens.imaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Walks a DICOM Part 10 file's elements, sequences and items (a deflated data set inflated) before PixelMed reads it,
 * and refuses a value length that runs past the end of the data: PixelMed allocates what an element declares before reading it (1.8 GB for a 1,949-byte
 * file the fuzzer made). Reads the element layout as PixelMed does, an explicit VR of two non-letters included (read as
 * implicit). Anything else it cannot follow ends the walk, and PixelMed decides.
 */
final class DicomStructure {

  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
  private static final int ITEM = 0xfffee000;
  private static final int ITEM_END = 0xfffee00d;
  private static final int SEQUENCE_END = 0xfffee0dd;
  private static final int PIXEL_DATA = 0x7fe00010;
  private static final long UNDEFINED = 0xffffffffL;
  /** Far beyond a radiograph's data set (ImageLimits' 100 M pixels of 16 bits are 200 MB). */
  private static final long MAX_INFLATED_BYTES = 1L << 30;
  /** Deeper than any real file; PixelMed reads nesting by recursion. */
  private static final int MAX_DEPTH = 32;

  private final String source;
  private final ByteBuffer bytes;
  private boolean explicit = true;

  private DicomStructure(String source, ByteBuffer file) {
    this.source = source;
    this.bytes = file.order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Throws when an element, sequence or item of the file declares more bytes than the file holds after it. */
  static void check(Path file, String source) throws ImageReadException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        return; // beyond what one buffer maps; ImageLimits bounds what such a file may decode to
      }
      new DicomStructure(source, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())).walk();
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException e) {
      throw new ImageReadException(source, "cannot read the file (" + ImageReadException.describe(e) + ")", e);
    }
  }

  private void walk() throws ImageReadException {
    int position = 132;
    // The file meta group is explicit VR little endian; the data set is in the transfer syntax it names.
    String syntax = "1.2.840.10008.1.2.1";
    while (position + 8 <= bytes.limit() && bytes.getShort(position) == 0x0002) {
      Element meta = element(position, bytes.limit(), 0);
      if (meta == null) {
        return;
      }
      if (meta.tag == 0x00020010 && meta.length < 256) {
        byte[] uid = new byte[(int) meta.length];
        bytes.get(meta.valueStart, uid);
        syntax = new String(uid, StandardCharsets.US_ASCII).replace("\0", "").trim();
      }
      position = meta.end;
    }
    switch (syntax) {
      case "1.2.840.10008.1.2" -> explicit = false;
      case "1.2.840.10008.1.2.2" -> bytes.order(ByteOrder.BIG_ENDIAN);
      case "1.2.840.10008.1.2.1.99" -> {
        walkInflated(position);
        return;
      }
      default -> { }
    }
    dataSet(position, bytes.limit(), 0);
  }

  /**
   * A deflated data set is walked inflated (PixelMed inflates it too), through a temporary file so that a large one
   * costs no heap; one that inflates past {@value #MAX_INFLATED_BYTES} bytes is refused as a decompression bomb.
   */
  private void walkInflated(int position) throws ImageReadException {
    Path inflated = null;
    try {
      inflated = Files.createTempFile("rheumalens-inflated-", ".dcm");
      byte[] deflated = new byte[bytes.limit() - position];
      bytes.get(position, deflated);
      try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated), new Inflater(true));
          OutputStream out = Files.newOutputStream(inflated)) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
          if (total > MAX_INFLATED_BYTES) {
            throw new ImageReadException(source,
                "the deflated DICOM data set inflates past " + MAX_INFLATED_BYTES + " bytes (a decompression bomb)");
          }
          out.write(buffer, 0, n);
        }
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        // Damaged deflate: PixelMed reads up to the damage, allocating what the elements there declare; walk as far.
      }
      try (FileChannel channel = FileChannel.open(inflated, StandardOpenOption.READ)) {
        DicomStructure data = new DicomStructure(source, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        data.dataSet(0, data.bytes.limit(), 0);
      }
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException e) {
      throw new ImageReadException(source, "cannot inflate the data set (" + ImageReadException.describe(e) + ")", e);
    } finally {
      if (inflated != null) {
        inflated.toFile().delete();
      }
    }
  }

  /** Walks the elements of a data set in [position, end); returns where it stopped. */
  private int dataSet(int position, int end, int depth) throws ImageReadException {
    while (position + 8 <= end) {
      if (tag(position) == ITEM_END) {
        return position + 8;
      }
      Element e = element(position, end, depth);
      if (e == null) {
        return end;
      }
      position = e.end;
    }
    return position;
  }

  /** One element at position, with its nested items walked; null when the layout cannot be followed. */
  private Element element(int position, int end, int depth) throws ImageReadException {
    if (depth > MAX_DEPTH) {
      throw new ImageReadException(source, "DICOM sequences nested deeper than " + MAX_DEPTH + ": the file is damaged");
    }
    int tag = tag(position);
    boolean sequence;
    long length;
    int valueStart;
    String vr = explicit ? vr(position + 4) : null;
    if (vr != null && LONG_VRS.contains(vr)) {
      if (position + 12 > end) {
        return null;
      }
      length = Integer.toUnsignedLong(bytes.getInt(position + 8));
      valueStart = position + 12;
      sequence = vr.equals("SQ") || (vr.equals("UN") && length == UNDEFINED);
    } else if (vr != null) {
      length = Short.toUnsignedInt(bytes.getShort(position + 6));
      valueStart = position + 8;
      sequence = false;
    } else {
      length = Integer.toUnsignedLong(bytes.getInt(position + 4)); // implicit, or two non-letters read as implicit
      valueStart = position + 8;
      sequence = length == UNDEFINED;
    }
    if (length == UNDEFINED) {
      if (!sequence && tag != PIXEL_DATA) {
        return null;
      }
      return new Element(tag, valueStart, length, items(valueStart, end, tag == PIXEL_DATA, depth));
    }
    if (length > end - valueStart) {
      throw new ImageReadException(source, String.format(
          "DICOM element (%04X,%04X) declares %d bytes but only %d remain: the file is truncated or damaged",
          tag >>> 16, tag & 0xffff, length, end - valueStart));
    }
    int valueEnd = valueStart + (int) length;
    if (sequence) {
      items(valueStart, valueEnd, false, depth);
    }
    return new Element(tag, valueStart, length, valueEnd);
  }

  /** Walks the items of a sequence (or the fragments of encapsulated pixel data); returns where they end. */
  private int items(int position, int end, boolean fragments, int depth) throws ImageReadException {
    while (position + 8 <= end) {
      int tag = tag(position);
      long length = Integer.toUnsignedLong(bytes.getInt(position + 4));
      position += 8;
      if (tag == SEQUENCE_END) {
        return position;
      }
      if (tag != ITEM) {
        return end;
      }
      if (length == UNDEFINED) {
        position = fragments ? end : dataSet(position, end, depth + 1);
        continue;
      }
      if (length > end - position) {
        throw new ImageReadException(source, "a DICOM " + (fragments ? "pixel data fragment" : "sequence item")
            + " declares " + length + " bytes but only " + (end - position) + " remain: the file is truncated or damaged");
      }
      if (!fragments) {
        dataSet(position, position + (int) length, depth + 1);
      }
      position += (int) length;
    }
    return end;
  }

  private int tag(int position) {
    return Short.toUnsignedInt(bytes.getShort(position)) << 16 | Short.toUnsignedInt(bytes.getShort(position + 2));
  }

  /** The two letters of an explicit VR, or null when they are not letters (PixelMed then reads the element implicit). */
  private String vr(int position) {
    byte a = bytes.get(position);
    byte b = bytes.get(position + 1);
    boolean letters = a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
    return letters ? new String(new byte[] {a, b}, StandardCharsets.US_ASCII) : null;
  }

  private record Element(int tag, int valueStart, long length, int end) {}
}
