package org.rheumalens.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Float32 arrays in NumPy's .npy format (version 1.0, little-endian, C order): the raw maps and fitted statistics
 * RheumaLens writes open directly with {@code numpy.load} in a researcher's notebook.
 */
public final class NpyFile {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /** A float array and its shape. */
  public record Array(int[] shape, float[] data) {
    public Array {
      long size = 1;
      for (int d : shape) {
        size *= d;
      }
      if (size != data.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
      }
    }
  }

  private NpyFile() {}

  /** Writes atomically (temporary file, then move), so a reader never sees half a file. */
  public static void write(Path file, int[] shape, float[] data) throws IOException {
    new Array(shape, data);
    // Python tuple syntax: "(3, 4)", and "(5,)" for one dimension.
    String dims = java.util.Arrays.stream(shape).mapToObj(Integer::toString)
        .collect(java.util.stream.Collectors.joining(", ")) + (shape.length == 1 ? "," : "");
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String fullHeader = header + " ".repeat(padding) + "\n";
    ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 4 + fullHeader.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) fullHeader.length());
    buffer.put(fullHeader.getBytes(StandardCharsets.US_ASCII));
    buffer.asFloatBuffer().put(data);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, buffer.array());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static Array read(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    if (buffer.remaining() < 10) {
      throw new IOException(file + ": too short for a .npy file");
    }
    buffer.get(magic);
    if (!Arrays.equals(magic, MAGIC) || buffer.get() != 1) {
      throw new IOException(file + ": not a version 1 .npy file");
    }
    buffer.get();
    int headerLength = Short.toUnsignedInt(buffer.getShort());
    byte[] headerBytes = new byte[headerLength];
    buffer.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.US_ASCII);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
      throw new IOException(file + ": only little-endian float32 C-order arrays are supported, header " + header.trim());
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": no shape in header " + header.trim());
    }
    int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    float[] data = new float[buffer.remaining() / 4];
    buffer.asFloatBuffer().get(data);
    return new Array(shape, data);
  }
}
