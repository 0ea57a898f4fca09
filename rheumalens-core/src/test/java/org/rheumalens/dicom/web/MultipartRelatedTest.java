package org.rheumalens.dicom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The multipart framing of WADO-RS answers and STOW-RS requests. */
class MultipartRelatedTest {

  @Property(tries = 200)
  void partsSurviveEncodingAndDecoding(@ForAll @Size(max = 4) List<@Size(max = 300) byte[]> parts) {
    String boundary = MultipartRelated.newBoundary();
    byte[] body = MultipartRelated.encode(boundary, "application/dicom", parts);
    List<byte[]> decoded = MultipartRelated.decode(body, boundary);
    assertThat(decoded).hasSameSizeAs(parts);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(decoded.get(i)).isEqualTo(parts.get(i));
    }
  }

  @Test
  void readsTheBoundaryQuotedOrNot() {
    assertThat(MultipartRelated.boundary("multipart/related; type=\"application/dicom\"; boundary=\"a b\"")).isEqualTo("a b");
    assertThat(MultipartRelated.boundary("multipart/related;boundary=xyz;type=\"application/dicom\"")).isEqualTo("xyz");
    assertThatThrownBy(() -> MultipartRelated.boundary("application/dicom")).hasMessageContaining("without a boundary");
  }

  @Test
  void aTruncatedBodyIsRefused() {
    byte[] body = "--b\r\nContent-Type: application/dicom\r\n\r\nDICM...".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> MultipartRelated.decode(body, "b")).hasMessageContaining("no closing boundary");
  }
}
