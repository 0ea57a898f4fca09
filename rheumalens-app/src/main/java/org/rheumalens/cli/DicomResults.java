package org.rheumalens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rheumalens.dicom.SourceImage;
import org.rheumalens.dicom.out.GradeReports;
import org.rheumalens.dicom.out.HeatmapCapture;
import org.rheumalens.dicom.out.MeasurementReport;
import org.rheumalens.dicom.out.ReportContent;
import org.rheumalens.dicom.out.WrittenObject;
import org.rheumalens.explain.GradCam;
import org.rheumalens.explain.Heatmap;
import org.rheumalens.explain.HeatmapRenderer;
import org.rheumalens.ml.GradeResult;
import org.rheumalens.ml.Grader;
import org.rheumalens.tasks.GradingTask;

/**
 * {@code grade --dicom-out}: for a DICOM input, the result as a Comprehensive SR and its Grad-CAM overlay as a
 * Secondary Capture, both in the source's study (new series), named after the input.
 */
final class DicomResults {

  private final Path dir;
  private final GradingTask task;
  private final ReportContent.ModelIdentity model;

  DicomResults(Path dir, GradingTask task, Path modelDir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.task = task;
    this.model = GradeReports.modelIdentity(modelDir);
  }

  /** True for a DICOM Part 10 file (the "DICM" preamble), whatever its name. */
  static boolean isDicom(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes {@code <stem>.sr.dcm} and, when there is a map, {@code <stem>.heatmap.dcm}; returns the result with them
   * under {@code explanations} ({@code dicom_sr}, {@code dicom_heatmap}).
   */
  GradeResult write(Path file, String stem, GradeResult result, Grader.Analysis analysis, List<Heatmap> maps)
      throws IOException {
    SourceImage source = SourceImage.read(file);
    Heatmap map = maps.stream().filter(m -> m.method().equals(GradCam.METHOD)).findFirst()
        .orElse(maps.isEmpty() ? null : maps.get(0));
    WrittenObject heatmap = null;
    if (map != null && analysis.input() != null) {
      // No file name in the title: it is burned into the pixels and may name the patient.
      String title = String.format(Locale.ROOT, "%s for %s", map.method(), task.grades().get(map.grade()));
      heatmap = HeatmapCapture.write(source, HeatmapRenderer.render(analysis.input(), map, title), title, model,
          dir.resolve(stem + ".heatmap.dcm"));
    }
    WrittenObject sr = MeasurementReport.write(source, GradeReports.content(result, task, model), heatmap,
        dir.resolve(stem + ".sr.dcm"));
    Map<String, String> files = new LinkedHashMap<>(result.explanations() == null ? Map.of() : result.explanations());
    files.put("dicom_sr", sr.file().toString());
    if (heatmap != null) {
      files.put("dicom_heatmap", heatmap.file().toString());
    }
    return result.withExplanations(files);
  }
}
