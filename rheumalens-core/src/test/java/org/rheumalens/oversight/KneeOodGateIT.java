package org.rheumalens.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.testing.SharedData;

/**
 * The bundled knee grader's out-of-distribution gate on real inputs: it refuses the non-knee radiographs among the
 * shared DICOM files and ordinary non-medical pictures, and lets nearly all val knees through.
 */
class KneeOodGateIT {

  /** Debian's python-matplotlib-data: a photograph, a logo, clip art and an MRI slice (installed by ./rheumalens test). */
  static final Path SAMPLE_DATA = Path.of("/usr/share/matplotlib/mpl-data/sample_data");

  static Grader grader;

  @BeforeAll
  static void open() throws IOException {
    grader = Grader.open(ModelLocation.bundled("knee-kl"));
    assertThat(grader.model().card().oversight()).as("bundled model carries its fitted gate").isNotNull();
  }

  @AfterAll
  static void close() {
    grader.close();
  }

  @Test
  void refusesTheNonKneeRadiographs() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(SharedData.dicom("radiographs"))) {
      files = list.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
    }
    int refused = 0;
    for (Path file : files) {
      GradeResult r = grader.grade(file);
      if (!r.ok()) {
        continue; // an unreadable file is refused by the reader, with its own message
      }
      assertThat(r.refused()).as("%s: %s", file.getFileName(), r).isTrue();
      assertThat(r.ood().flagged()).isTrue();
      assertThat(r.ood().score()).isGreaterThan(r.ood().threshold());
      assertThat(r.message()).contains("not a knee radiograph / outside what this model was trained on");
      assertThat(r.needsReview()).isTrue();
      assertThat(r.reviewReasons()).contains(TriagePolicy.OUT_OF_DISTRIBUTION);
      refused++;
    }
    assertThat(refused).as("decoded non-knee radiographs refused").isGreaterThanOrEqualTo(8);
  }

  @Test
  void refusesCtAndMrFilesByTheirModalityWhateverTheirPixels() {
    // CT_small scored just under some knee models' OOD threshold: the file's own Modality settles it first.
    for (String name : new String[] {"codec-variety/CT_small.dcm", "codec-variety/emri_small.dcm"}) {
      GradeResult r = grader.grade(SharedData.dicom(name));
      assertThat(r.ok()).as("%s: %s", name, r).isFalse();
      assertThat(r.grade()).isNull();
      assertThat(r.error()).contains("wrong modality").contains("grades radiographs");
    }
    List<GradeResult> batched = grader.gradeBatched(List.of(SharedData.dicom("codec-variety/CT_small.dcm")), 4);
    assertThat(batched.get(0).error()).contains("wrong modality: the DICOM file is CT");
  }

  @Test
  void refusesOrdinaryPictures(@TempDir Path dir) throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(SAMPLE_DATA),
        "Debian package python-matplotlib-data is not installed (./rheumalens test installs it)");
    List<Path> pictures = new ArrayList<>();
    pictures.add(grey(SAMPLE_DATA.resolve("grace_hopper.jpg"), dir.resolve("portrait.png")));
    pictures.add(grey(SAMPLE_DATA.resolve("logo2.png"), dir.resolve("logo.png")));
    pictures.add(grey(SAMPLE_DATA.resolve("Minduka_Present_Blue_Pack.png"), dir.resolve("clipart.png")));
    pictures.add(mriSlice(SAMPLE_DATA.resolve("s1045.ima.gz"), dir.resolve("mri-head.png")));
    pictures.add(textPage(dir.resolve("document.png")));
    for (Path picture : pictures) {
      GradeResult r = grader.grade(picture);
      assertThat(r.ok()).as("%s read", picture.getFileName()).isTrue();
      assertThat(r.refused()).as("%s refused: %s", picture.getFileName(), r).isTrue();
    }
    // The colour original never reaches the model: the reader refuses colour with its own message.
    GradeResult colour = grader.grade(SAMPLE_DATA.resolve("grace_hopper.jpg"));
    assertThat(colour.error()).containsIgnoringCase("colour");
  }

  @Test
  void letsValKneesThrough() throws IOException {
    List<LabelledImage> val = LabelledImage.scanFolders(SharedData.kneeKl().resolve("val"), 5);
    List<GradeResult> results = grader.gradeBatched(val.stream().map(LabelledImage::file).toList(), 32);
    long passed = results.stream().filter(r -> r.ok() && !r.refused()).count();
    assertThat((double) passed / results.size()).as("share of val knees graded").isGreaterThanOrEqualTo(0.95);
  }

  private static Path grey(Path source, Path target) throws IOException {
    BufferedImage in = ImageIO.read(source.toFile());
    BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, in.getWidth(), in.getHeight());
    g.drawImage(in, 0, 0, null);
    g.dispose();
    ImageIO.write(out, "png", target.toFile());
    return target;
  }

  /** matplotlib's s1045.ima: a 256x256 16-bit big-endian MRI slice of a head. */
  private static Path mriSlice(Path gz, Path target) throws IOException {
    BufferedImage out = new BufferedImage(256, 256, BufferedImage.TYPE_USHORT_GRAY);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz)); DataInputStream data = new DataInputStream(in)) {
      for (int y = 0; y < 256; y++) {
        for (int x = 0; x < 256; x++) {
          out.getRaster().setSample(x, y, 0, data.readUnsignedShort() * 16);
        }
      }
    }
    ImageIO.write(out, "png", target.toFile());
    return target;
  }

  private static Path textPage(Path target) throws IOException {
    BufferedImage page = new BufferedImage(600, 800, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = page.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 600, 800);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SERIF, Font.PLAIN, 16));
    for (int line = 0; line < 36; line++) {
      g.drawString("Referral letter, line " + line + ": knee pain on stairs, morning stiffness under 30 minutes.", 30, 40 + 20 * line);
    }
    g.dispose();
    ImageIO.write(page, "png", target.toFile());
    return target;
  }
}
