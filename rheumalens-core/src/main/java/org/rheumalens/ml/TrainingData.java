package org.rheumalens.ml;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rheumalens.dataset.Manifest;
import org.rheumalens.dataset.ManifestRow;
import org.rheumalens.dataset.PatientSplit;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition.Output;

/**
 * The labelled images a run trains on and selects on, from a data folder ({@code train/}, {@code val/}, one
 * sub-folder per class index) or from manifests, with the card's description of them. Every manifest row is checked
 * before anything else happens.
 *
 * @param train training images with the primary output's class index
 * @param val selection images
 * @param root the folder image paths are hashed relative to
 * @param description what the card records of the data (without hashes)
 */
public record TrainingData(List<LabelledImage> train, List<LabelledImage> val, Path root,
    Map<String, Object> description) {

  /**
   * Where the labelled images are: a data folder, or a train manifest with an optional val manifest (without one, a
   * seeded, patient-grouped {@code heldOutFraction} of train selects).
   */
  public record Source(Path dataDir, Path trainManifest, Path valManifest, double heldOutFraction, long seed) {
    public static Source of(TrainingConfig c) {
      return new Source(c.dataDir(), c.trainManifest(), c.valManifest(), c.heldOutFraction(), c.seed());
    }
  }

  public static TrainingData load(TrainingConfig config, GradingTask task, PrintStream log) throws IOException {
    return load(Source.of(config), task, log);
  }

  public static TrainingData load(Source config, GradingTask task, PrintStream log) throws IOException {
    Output primary = task.primary();
    if (!primary.kind().isClassification()) {
      throw new IllegalArgumentException("task " + task.id() + ": training a " + primary.kind().id() + " output (\""
          + primary.name() + "\") is not supported yet; ordinal, binary and categorical outputs train");
    }
    Map<String, Object> description = new LinkedHashMap<>();
    if (config.trainManifest() == null) {
      Path dir = config.dataDir();
      description.put("folder", dir.toString());
      return new TrainingData(LabelledImage.scanFolders(dir.resolve("train"), task.classes()),
          LabelledImage.scanFolders(dir.resolve("val"), task.classes()), dir, description);
    }
    Manifest train = Manifest.read(config.trainManifest(), task.definition());
    description.put("train_manifest", config.trainManifest().toString());
    Manifest val;
    if (config.valManifest() != null) {
      val = Manifest.read(config.valManifest(), task.definition());
      description.put("val_manifest", config.valManifest().toString());
    } else {
      PatientSplit.Split split = PatientSplit.holdOut(train.rows(), config.heldOutFraction(), config.seed(),
          (ManifestRow r) -> primary.classIndex(r.labels().get(primary.name())), task.classes());
      description.put("val", String.format(java.util.Locale.ROOT,
          "held out from the train manifest: %d images of %d patients (%.0f%%, seed %d, grouped by patient, "
              + "stratified by %s); training keeps %d images of %d patients", split.heldOut().size(),
          split.heldOutPatients(), 100 * config.heldOutFraction(), config.seed(), primary.name(), split.train().size(),
          split.trainPatients()));
      description.put("val_rows", split.heldOut().stream().map(ManifestRow::row).sorted().toList());
      log.println("selection set " + description.get("val"));
      val = train.subset(split.heldOut());
      train = train.subset(split.train());
    }
    checkNoSharedPatients(train, val);
    return new TrainingData(train.labelled(task.definition()), val.labelled(task.definition()), commonRoot(train.folder(), val.folder()),
        description);
  }

  /** A patient on both sides would let selection reward memorising that patient. */
  private static void checkNoSharedPatients(Manifest train, Manifest val) {
    java.util.Set<String> trainPatients = new java.util.HashSet<>();
    train.rows().stream().filter(r -> r.patient() != null).forEach(r -> trainPatients.add(r.patient()));
    List<String> shared = val.rows().stream().map(ManifestRow::patient)
        .filter(p -> p != null && trainPatients.contains(p)).distinct().sorted().toList();
    if (!shared.isEmpty()) {
      throw new IllegalArgumentException("patients in both the train and the val manifest (no patient may be on both "
          + "sides of a split): " + (shared.size() > 10 ? shared.subList(0, 10) + " and " + (shared.size() - 10)
          + " more" : shared));
    }
  }

  private static Path commonRoot(Path a, Path b) {
    Path root = a;
    while (root != null && !b.startsWith(root)) {
      root = root.getParent();
    }
    return root == null ? a.getRoot() : root;
  }
}
