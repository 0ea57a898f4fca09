package org.rheumalens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rheumalens agree} on two readers' CSV files, as a user runs it. */
class AgreeCommandTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  @TempDir Path dir;

  /**
   * Reader A and B grade 40 knees and measure their joint space; B grades one higher on every fifth knee and measures
   * 0.2 mm more. A has two knees B lacks, B one that A lacks.
   */
  private void writeReaders() throws Exception {
    StringBuilder a = new StringBuilder("image,kl,jsw_mm,note\n");
    StringBuilder b = new StringBuilder("reader,image,kl,jsw_mm\n");
    for (int i = 0; i < 42; i++) {
      int grade = i % 5;
      double jsw = 6.0 - grade + (i % 3) * 0.3;
      a.append(String.format(java.util.Locale.ROOT, "knee_%02d.png,%d,%.2f,\"medial, lateral\"%n", i, grade, jsw));
      if (i < 40) {
        b.append(String.format(java.util.Locale.ROOT, "B,knee_%02d.png,%d,%.2f%n", i,
            i % 5 == 0 ? Math.min(4, grade + 1) : grade, jsw + 0.2 + (i % 2) * 0.05));
      }
    }
    b.append("B,knee_99.png,2,4.0\n");
    Files.writeString(dir.resolve("A.csv"), a);
    Files.writeString(dir.resolve("B.csv"), b);
  }

  private static List<String> keys(JsonNode json) {
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void gradesGiveKappasAndACrossTabulation() throws Exception {
    writeReaders();
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("agree", dir.resolve("A.csv").toString(), dir.resolve("B.csv").toString(),
        "--column", "kl", "--out", out.toString(), "--bootstrap", "200");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kl: 40 cases rated in both", "quadratic weighted kappa", "95% CI",
        "2 rated only in", "1 only in");
    JsonNode json = new ObjectMapper().readTree(out.resolve("agreement.json").toFile());
    assertThat(json.get("n").intValue()).isEqualTo(40);
    assertThat(json.get("column").textValue()).isEqualTo("kl");
    assertThat(json.get("kind").textValue()).isEqualTo("ordinal");
    assertThat(json.get("unmatched").get("only_in_first").intValue()).isEqualTo(2);
    assertThat(json.get("unmatched").get("only_in_second").intValue()).isEqualTo(1);
    assertThat(json.has("icc_2_1")).isFalse();
    assertThat(json.has("bland_altman")).isFalse();
    // 32 of 40 agree; disagreements are one grade apart, so the weighted kappas sit above the plain one.
    double kappa = json.get("cohen_kappa").doubleValue();
    assertThat(kappa).isBetween(0.6, 0.95);
    assertThat(json.get("linear_weighted_kappa").doubleValue()).isGreaterThan(kappa);
    assertThat(json.get("quadratic_weighted_kappa").doubleValue())
        .isGreaterThan(json.get("linear_weighted_kappa").doubleValue());
    assertThat(keys(json.get("ci95"))).containsExactly("cohen_kappa", "linear_weighted_kappa",
        "quadratic_weighted_kappa");
    JsonNode ci = json.get("ci95").get("cohen_kappa");
    assertThat(ci.get(0).doubleValue()).isLessThanOrEqualTo(kappa);
    assertThat(ci.get(1).doubleValue()).isGreaterThanOrEqualTo(kappa);
    BufferedImage png = ImageIO.read(out.resolve("crosstab.png").toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isGreaterThan(400);
    assertThat(out.resolve("bland_altman.png")).doesNotExist();
  }

  @Test
  void measurementsGiveIccAndBlandAltman() throws Exception {
    writeReaders();
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("agree", dir.resolve("A.csv").toString(), dir.resolve("B.csv").toString(),
        "--column", "jsw_mm", "--key", "image", "--out", out.toString(), "--bootstrap", "200");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("ICC(2,1)", "Bland-Altman");
    JsonNode json = new ObjectMapper().readTree(out.resolve("agreement.json").toFile());
    assertThat(json.get("kind").textValue()).isEqualTo("measurement");
    assertThat(json.has("cohen_kappa")).isFalse();
    assertThat(json.get("icc_2_1").doubleValue()).isBetween(0.9, 1.0);
    JsonNode ba = json.get("bland_altman");
    // B measures 0.2 mm more, and 0.05 more again on odd knees: 20 of the 40 paired.
    assertThat(ba.get("bias").doubleValue()).isCloseTo(-0.225, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ba.get("lower").doubleValue()).isLessThan(ba.get("bias").doubleValue());
    assertThat(ba.get("upper").doubleValue()).isGreaterThan(ba.get("bias").doubleValue());
    assertThat(json.get("ci95").get("icc_2_1")).hasSize(2);
    assertThat(ImageIO.read(out.resolve("bland_altman.png").toFile())).isNotNull();
  }

  @Test
  void theKindCanBeGivenAndScoresGetIccOnly() throws Exception {
    writeReaders();
    CliRun run = CliRun.of("agree", dir.resolve("A.csv").toString(), dir.resolve("B.csv").toString(),
        "--column", "kl", "--kind", "score", "--bootstrap", "50");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("(score)", "ICC(2,1)").doesNotContain("kappa", "Bland-Altman");
  }

  @Test
  void aValueThatIsNotANumberIsRefusedNamingTheFileAndLine() throws Exception {
    writeReaders();
    Path b = dir.resolve("B.csv");
    Files.writeString(b, Files.readString(b).replace("B,knee_03.png,3,", "B,knee_03.png,3,n/a"));
    CliRun run = CliRun.of("agree", dir.resolve("A.csv").toString(), b.toString(), "--column", "jsw_mm",
        "--kind", "measurement");
    assertThat(run.exitCode()).isEqualTo(AgreeCommand.BAD_INPUT);
    assertThat(run.err()).contains(b + " line 5 (knee_03.png): 'n/a", "is not a number");
  }

  @Test
  void aMissingColumnOrFileIsExplained() throws Exception {
    writeReaders();
    CliRun column = CliRun.of("agree", dir.resolve("A.csv").toString(), dir.resolve("B.csv").toString(),
        "--column", "KL");
    assertThat(column.exitCode()).isEqualTo(AgreeCommand.BAD_INPUT);
    assertThat(column.err()).contains("has no column 'KL'; its columns are: image, kl, jsw_mm, note");
    CliRun file = CliRun.of("agree", dir.resolve("A.csv").toString(), dir.resolve("C.csv").toString(),
        "--column", "kl");
    assertThat(file.err()).contains("C.csv: no such file");
  }
}
