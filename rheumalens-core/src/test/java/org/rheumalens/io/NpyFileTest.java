package org.rheumalens.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFileTest {

  @Test
  void roundTripsAndAlignsTheHeaderAsNumpyRequires(@TempDir Path dir) throws Exception {
    float[] data = new float[3 * 4];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5f - 2;
    }
    Path file = dir.resolve("a.npy");
    NpyFile.write(file, new int[] {3, 4}, data);
    byte[] bytes = Files.readAllBytes(file);
    int headerEnd = 10 + ((bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
    assertThat(headerEnd % 64).isZero();
    assertThat(bytes[headerEnd - 1]).isEqualTo((byte) '\n');
    assertThat(new String(bytes, 10, headerEnd - 10)).contains("'shape': (3, 4)");
    NpyFile.Array read = NpyFile.read(file);
    assertThat(read.shape()).containsExactly(3, 4);
    assertThat(read.data()).containsExactly(data);

    NpyFile.write(dir.resolve("v.npy"), new int[] {5}, new float[5]);
    assertThat(new String(Files.readAllBytes(dir.resolve("v.npy")), 10, 60)).contains("'shape': (5,)");
  }

  @Test
  void rejectsWhatItCannotRead(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("t.npy"), "not numpy at all");
    assertThatThrownBy(() -> NpyFile.read(text)).isInstanceOf(IOException.class).hasMessageContaining("not a version 1 .npy");
    assertThatThrownBy(() -> NpyFile.write(dir.resolve("x.npy"), new int[] {2, 2}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
