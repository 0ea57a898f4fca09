package org.rheumalens.dicom.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The {@code multipart/related} bodies WADO-RS answers with and STOW-RS takes (PS3.18 8.6.1.2). */
final class MultipartRelated {

  private MultipartRelated() {}

  /** A fresh boundary that cannot occur in DICOM data by chance. */
  static String newBoundary() {
    return "rheumalens-" + UUID.randomUUID();
  }

  /** The content type of a body of DICOM parts with this boundary. */
  static String contentType(String boundary) {
    return "multipart/related; type=\"application/dicom\"; boundary=" + boundary;
  }

  /** Parts of {@code type}, each framed by {@code boundary}. */
  static byte[] encode(String boundary, String type, List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(("--" + boundary + "\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The boundary parameter of a {@code multipart/related} content type (quoted or not). */
  static String boundary(String contentType) {
    for (String parameter : contentType.split(";")) {
      String p = parameter.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = p.substring("boundary=".length()).trim();
        return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
      }
    }
    throw new IllegalArgumentException("multipart answer without a boundary (Content-Type: " + contentType + ")");
  }

  /** The bodies of the parts of {@code body} (part headers dropped). */
  static List<byte[]> decode(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<byte[]> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int lineEnd = at + delimiter.length;
      if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
        break; // the closing delimiter
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), lineEnd);
      if (headersEnd < 0) {
        throw new IllegalArgumentException("multipart part without the blank line after its headers");
      }
      int start = headersEnd + 4;
      int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), start);
      if (next < 0) {
        throw new IllegalArgumentException("multipart body ends inside a part (no closing boundary)");
      }
      byte[] part = new byte[next - start];
      System.arraycopy(body, start, part, 0, part.length);
      parts.add(part);
      at = next + 2;
    }
    return parts;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
