package org.rheumalens.ml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.rheumalens.io.Sha256;

/** SHA-256 over the (grade, relative path, bytes) of every image a model saw, so a card pins its exact data. */
public final class DataFingerprint {

  private DataFingerprint() {}

  public static String of(Path root, List<LabelledImage> images) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    for (LabelledImage image : images) {
      digest.update((image.grade() + ":" + root.relativize(image.file()) + "\n").getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(image.file())) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
    }
    return Sha256.hex(digest);
  }
}
