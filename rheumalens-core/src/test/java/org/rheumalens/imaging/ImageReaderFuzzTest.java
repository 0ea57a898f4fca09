package org.rheumalens.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rheumalens.testing.BadInputCorpus;

/**
 * Coverage-guided fuzzing of {@link RadiographReader} (and through it {@link RasterImageReader} and
 * {@link DicomImageReader}) with Jazzer. In the normal suite each target replays its seeds (generated good files) and
 * the inputs fuzzing found, saved under {@code src/test/resources/org/rheumalens/imaging/ImageReaderFuzzTestInputs/};
 * {@code ./rheumalens fuzz} mutates them for a bounded time. A finding is an exception other than
 * {@link ImageReadException}, a refusal that only the last-resort catch made (our own code threw, or memory ran out),
 * a read that allocates more than 1 GB, or an input that takes longer than the timeout (30 s: the first input also pays
 * for installing Jazzer's agent).
 */
class ImageReaderFuzzTest {

  private static final RadiographReader READER = RadiographReader.standard();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  /**
   * What reading a small input may allocate: above the worst case ImageLimits lets through (100 M pixels of 16-bit
   * RGBA, 800 MB), so more means a decoder trusted a declared size. Checked by allocation, not by running out of heap,
   * so that the suite's replay (6 GB heap) catches what fuzzing (2 GB) found.
   */
  private static final long MAX_ALLOCATED_BYTES = 1L << 30;
  private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(ImageReaderFuzzTest::tempFile);

  @MethodSource("rasterSeeds")
  @FuzzTest
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void rasterFiles(byte[] content) throws IOException {
    readOrRefuse(content);
  }

  @MethodSource("dicomSeeds")
  @FuzzTest
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void dicomFiles(byte[] content) throws IOException {
    readOrRefuse(content);
  }

  static Stream<Arguments> rasterSeeds() throws IOException {
    return BadInputCorpus.goodRasters(smallBase()).values().stream().map(bytes -> Arguments.of((Object) bytes));
  }

  static Stream<Arguments> dicomSeeds() throws IOException {
    // Real encapsulated files (JPEG, JPEG 2000, RLE, deflate) where shared data is; the small ones keep fuzzing fast.
    Stream<byte[]> real = BadInputCorpus.sharedDicomSamples().stream().map(ImageReaderFuzzTest::bytes)
        .filter(b -> b.length < 16 * 1024);
    return Stream.concat(Stream.of(BadInputCorpus.goodDicom(smallBase())), real).map(b -> Arguments.of((Object) b));
  }

  private static void readOrRefuse(byte[] content) throws IOException {
    Path file = FILE.get();
    Files.write(file, content);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      READER.read(file);
    } catch (ImageReadException e) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof Error || (cause instanceof RuntimeException && thrownByUs(cause))) {
          throw new AssertionError("refused only by a last-resort catch: " + e.getMessage(), cause);
        }
      }
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > MAX_ALLOCATED_BYTES) {
      throw new AssertionError("reading " + content.length + " bytes allocated " + (allocated >> 20) + " MB");
    }
  }

  /**
   * An unchecked exception from our own code is a bug (also when it surfaces in a JDK method our code called); one
   * from PixelMed or an ImageIO plug-in is that library's way to refuse input, which the readers turn into a cause.
   */
  private static boolean thrownByUs(Throwable e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      String name = frame.getClassName();
      if (!(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun."))) {
        return name.startsWith("org.rheumalens.");
      }
    }
    return false;
  }

  /** Small, so that the fuzzer's mutations reach every part of the file quickly. */
  private static BufferedImage smallBase() {
    BufferedImage full = BadInputCorpus.syntheticBase();
    return full.getSubimage(0, 36, 24, 24);
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempFile() {
    try {
      Path file = Files.createTempFile("rheumalens-fuzz-", ".bin");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
