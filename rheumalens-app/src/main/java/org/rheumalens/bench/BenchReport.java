package org.rheumalens.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One bench run: its settings, machine, Java timings and PyTorch reference, as a flat JSON record or a table. */
public record BenchReport(BenchSettings settings, BenchEnvironment environment, JavaTimings java, TorchTimings torch) {

  /** Java time over PyTorch time for batch-1 inference (below 1: Java faster); null without the reference. */
  public Double javaOverPythonInference() {
    return torch.measured() ? java.model().medianMs() / torch.modelMsMedian() : null;
  }

  /** Java time over PyTorch time for a training step (below 1: Java faster); null without the reference. */
  public Double javaOverPythonTrain() {
    return torch.measured() ? java.trainStep().medianMs() / torch.trainStepMsMedian() : null;
  }

  /** The JSON record: headline numbers at the top level (stable keys, null when not measured), then context. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("grade_ms_median", round(java.grade().medianMs()));
    json.put("grade_ms_p90", round(java.grade().p90Ms()));
    json.put("grade_plain_ms_median", round(java.gradePlain().medianMs()));
    json.put("grade_gradcam_ms_median", round(java.gradeGradCam().medianMs()));
    json.put("grade_occlusion_ms_median", round(java.gradeOcclusion().medianMs()));
    json.put("oversight_overhead_ms", round(java.grade().medianMs() - java.gradePlain().medianMs()));
    json.put("gradcam_overhead_ms", round(java.gradeGradCam().medianMs() - java.grade().medianMs()));
    json.put("model_ms_median", round(java.model().medianMs()));
    json.put("model_ms_p90", round(java.model().p90Ms()));
    json.put("batch_images_per_s", round(java.batchImagesPerS()));
    json.put("train_step_ms_median", round(java.trainStep().medianMs()));
    json.put("train_images_per_s", round(java.trainImagesPerS()));
    json.put("python_status", torch.status());
    json.put("python_model_ms_median", round(torch.modelMsMedian()));
    json.put("python_train_step_ms_median", round(torch.trainStepMsMedian()));
    json.put("java_over_python_inference", round(javaOverPythonInference()));
    json.put("java_over_python_train", round(javaOverPythonTrain()));
    json.put("torch_version", torch.torchVersion());
    json.put("python", torch.python());
    json.put("python_threads", torch.threads());
    json.put("settings", settings);
    json.put("environment", environment);
    return json;
  }

  public String table() {
    StringBuilder t = new StringBuilder();
    BenchEnvironment e = environment;
    t.append(String.format(Locale.ROOT, "RheumaLens bench, %s: model %s %s; %s, %d cores (load %s), engine threads %d%n",
        e.date(), e.model(), e.modelVersion(), e.cpu(), e.cores(), e.loadAverage1m(), e.engineThreads()));
    t.append(String.format(Locale.ROOT, "Java %s, DJL %s, %s; PyTorch reference: %s%n%n",
        e.java(), e.djl(), e.engine(), torch.measured() ? "torch " + torch.torchVersion() + " (" + torch.python() + ")"
            : torch.status()));
    t.append(String.format(Locale.ROOT, "%-40s %14s %14s %12s%n", "", "Java (DJL)", "PyTorch", "Java/PyTorch"));
    t.append(row("grade one image end to end, ms median", java.grade().medianMs(), null, null));
    t.append(row("grade one image end to end, ms p90", java.grade().p90Ms(), null, null));
    t.append(row("  without oversight (no OOD/MC/triage), ms", java.gradePlain().medianMs(), null, null));
    t.append(row("  plus Grad-CAM heatmap, ms median", java.gradeGradCam().medianMs(), null, null));
    t.append(row("  plus occlusion heatmap, ms median", java.gradeOcclusion().medianMs(), null, null));
    t.append(row("model alone, batch 1, ms median", java.model().medianMs(), torch.modelMsMedian(),
        javaOverPythonInference()));
    t.append(row("batched grading (" + settings.batchSize() + "), images/s", java.batchImagesPerS(), null, null));
    t.append(row("training step (" + settings.batchSize() + "), ms median", java.trainStep().medianMs(),
        torch.trainStepMsMedian(), javaOverPythonTrain()));
    t.append(row("training, images/s", java.trainImagesPerS(), null, null));
    return t.toString();
  }

  private static String row(String label, double javaValue, Double torchValue, Double ratio) {
    return String.format(Locale.ROOT, "%-40s %14.2f %14s %12s%n", label, javaValue,
        torchValue == null ? "-" : String.format(Locale.ROOT, "%.2f", torchValue),
        ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio));
  }

  private static Double round(Double value) {
    return value == null ? null : Math.round(value * 1000) / 1000.0;
  }
}
