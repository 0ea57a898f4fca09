package org.rheumalens.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rheumalens.io.NpyFile;
import org.rheumalens.ml.GradingModel;
import org.rheumalens.ml.Grader;
import org.rheumalens.ml.NetworkOutput;

/**
 * Explains graded inputs: Grad-CAM from the maps the grading pass already kept (one extra backward pass through the
 * head), occlusion sensitivity when asked (a batch of forward passes). Writes each map as a PNG overlay and as a raw
 * float32 .npy at model-input resolution.
 */
public final class Explainer {

  public enum Method { GRADCAM, OCCLUSION }

  private final GradingModel model;
  private final List<String> gradeLabels;
  private final OcclusionSensitivity occlusion;

  public Explainer(GradingModel model, List<String> gradeLabels) {
    this.model = model;
    this.gradeLabels = gradeLabels;
    this.occlusion = OcclusionSensitivity.forInput(model.card().inputSize());
  }

  /** The heatmaps of {@code methods} for an analysed input (its maps must have been requested); none if it failed. */
  public List<Heatmap> heatmaps(Grader.Analysis analysis, Set<Method> methods) {
    NetworkOutput out = analysis.output();
    if (out == null || out.maps() == null) {
      return List.of();
    }
    int grade = out.maps().targetGrade();
    List<Heatmap> maps = new java.util.ArrayList<>();
    if (methods.contains(Method.GRADCAM)) {
      maps.add(GradCam.of(out.maps(), analysis.input().width(), analysis.input().height()));
    }
    if (methods.contains(Method.OCCLUSION)) {
      maps.add(occlusion.of(model, analysis.input(), grade));
    }
    return maps;
  }

  /** Writes {@code <stem>.<method>.png} and {@code .npy} into {@code dir}; returns the files by method. */
  public Map<String, String> write(Path dir, String stem, Grader.Analysis analysis, List<Heatmap> maps) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> files = new LinkedHashMap<>();
    for (Heatmap map : maps) {
      Path png = dir.resolve(stem + "." + map.method() + ".png");
      Path npy = dir.resolve(stem + "." + map.method() + ".npy");
      String title = String.format(Locale.ROOT, "%s for %s: %s", map.method(), gradeLabels.get(map.grade()), stem);
      HeatmapRenderer.write(png, analysis.input(), map, title);
      NpyFile.write(npy, new int[] {map.height(), map.width()}, map.values());
      files.put(map.method(), png.toString());
      files.put(map.method() + "_raw", npy.toString());
    }
    return files;
  }
}
