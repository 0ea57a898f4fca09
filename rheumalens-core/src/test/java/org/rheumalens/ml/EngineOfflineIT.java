package org.rheumalens.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyTorch engine must load from the Maven native jar into an empty cache, with downloads forbidden. */
class EngineOfflineIT {

  @Test
  void engineLoadsOfflineIntoAFreshCacheFolder(@TempDir Path cache) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                EngineProbe.class.getName())
            .redirectErrorStream(true);
    builder.environment().put("DJL_CACHE_DIR", cache.toString());
    builder.environment().remove("PYTORCH_LIBRARY_PATH");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("engine=PyTorch").contains("version=2.7.1").contains("sum=6.0");
    assertThat(nativeLibraries(cache)).as("libtorch unpacked into the fresh cache").isNotEmpty();
  }

  private static List<Path> nativeLibraries(Path cache) throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(f -> f.getFileName().toString().startsWith("libtorch")).toList();
    }
  }
}
