package org.rheumalens.ml;

import java.util.Locale;
import java.util.Map;
import org.rheumalens.oversight.Calibration;
import org.rheumalens.oversight.OodGateSettings;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.oversight.QualityThresholds;
import org.rheumalens.oversight.RiskCoverage;
import org.rheumalens.oversight.TriagePolicy;

/** Renders a {@link ModelCard} for people: what it grades, on what data, how well, and how to reproduce it. */
final class ModelCardMarkdown {

  private ModelCardMarkdown() {}

  private static String oversight(OversightSettings o) {
    StringBuilder md = new StringBuilder("\n## Oversight (fitted on train/val after training: `./rheumalens calibrate`)\n");
    Calibration c = o.calibration();
    md.append(String.format(Locale.ROOT,
        "- Calibration: temperature scaling, T = %.3f. Expected calibration error on val %.4f before, %.4f after "
            + "(%.4f cross-fitted: each half scaled by the other half's T). NLL %.4f -> %.4f. Diagram: `reliability.png`.%n",
        c.temperature(), c.eceBefore(), c.eceAfter(), c.eceAfterCrossFitted(), c.nllBefore(), c.nllAfter()));
    OodGateSettings g = o.ood();
    md.append(String.format(Locale.ROOT,
        "- Out-of-distribution gate: %s fitted on %d training images; an input scoring above %.1f (the val %.0f%% "
            + "quantile) is refused. Val pass rate %.3f (cross-fitted %.3f).%n",
        g.method(), g.trainImages(), g.threshold(), 100 * g.valQuantile(), g.valPassRate(), g.valPassRateCrossFitted()));
    QualityThresholds q = o.quality();
    md.append(String.format(Locale.ROOT,
        "- Image quality: poor below contrast %.3f, %d grey levels, sharpness %.4f (val %.1f%% percentiles) or above %.1fx enlargement.%n",
        q.minContrast(), q.minLevels(), q.minSharpness(), 100 * q.percentile(), q.maxUpscale()));
    TriagePolicy t = o.triage();
    md.append(String.format(Locale.ROOT,
        "- Triage: auto-accept only at calibrated confidence >= %.3f and not borderline (margin %.2f); on val that "
            + "accepts %.1f%% of cases (%d) at accuracy %.3f, target %.2f. Everything else goes to a reader.%n",
        t.minConfidence(), t.borderlineMargin(), 100 * t.valCoverage(), t.valAccepted(), t.valAcceptedAccuracy(),
        t.targetAccuracy()));
    md.append(String.format(Locale.ROOT, "- Uncertainty: MC dropout over the classifier head, %d samples. Risk-coverage on val (`risk-coverage.png`):%n%n",
        o.mcDropoutSamples()));
    md.append("| certainty score | acc @100% | @80% | @50% | @20% | AURC |\n|---|---|---|---|---|---|\n");
    for (RiskCoverage r : o.riskCoverage()) {
      md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.4f |%n", r.score(), r.accuracyAt(1.0),
          r.accuracyAt(0.8), r.accuracyAt(0.5), r.accuracyAt(0.2), r.aurc()));
    }
    return md.toString();
  }

  static String render(ModelCard card) {
    StringBuilder md = new StringBuilder();
    TrainingConfig c = card.config();
    md.append("# Model card: ").append(card.name()).append(" (").append(card.version()).append(")\n\n");
    org.rheumalens.tasks.GradingTask task = card.gradingTask();
    md.append("Task: `").append(card.taskId()).append("` (").append(task.title()).append("; ")
        .append(task.definition().modality()).append(", ").append(task.subject()).append("; output ")
        .append(task.primary().name()).append(": ").append(task.primary().kind().id()).append(' ')
        .append(String.join("/", task.grades())).append("). Created ").append(card.created()).append(".\n\n");
    md.append("## Network\n");
    md.append(String.format(Locale.ROOT, "%s, widths %s, units per stage %s, dropout %.2f, %,d parameters, input %dx%dx%d.%n%n",
        card.network().family(), card.network().widths(), card.network().blocksPerStage(), card.network().dropout(),
        card.parameters(), card.network().inputChannels(), card.inputSize(), card.inputSize()));
    md.append("## Preprocessing (same code path in training and inference)\n");
    card.preprocessing().forEach(step -> md.append("- ").append(step).append('\n'));
    md.append("\n## Data\n");
    card.data().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\n## Training\n");
    md.append(String.format(Locale.ROOT,
        "%d epochs, batch %d, Adam lr %.4g (1-epoch warm-up, cosine decay), weight decay %.1g, loss = class-weighted "
            + "cross-entropy (weights freq^-%.2f) + %.2f x squared EMD, seed %d. Best epoch on val: %d. Training time %.1f min.%n%n",
        c.epochs(), c.batchSize(), c.learningRate(), c.weightDecay(), c.classWeightPower(), c.emdWeight(), c.seed(),
        card.bestEpoch(), card.trainingSeconds() / 60));
    if (!c.teachers().isEmpty()) {
      md.append(String.format(Locale.ROOT, "Distilled: targets are %.2f x the mean mirrored-averaged probabilities of %s"
          + " plus %.2f x the image's own grade.%n%n", c.distillWeight(), c.teachers(), 1 - c.distillWeight()));
    }
    if (c.averageFromEpoch() > 0) {
      md.append(String.format(Locale.ROOT, "Weight averaging: every epoch's weights from epoch %d on were kept and averaged "
          + "(batch-norm statistics measured again); the average is the model only where it beat the best single epoch on "
          + "val. This model: %s.%n%n", c.averageFromEpoch(), card.version()));
    }
    if (c.blendWith() != null) {
      md.append(String.format(Locale.ROOT, "Blend: this run's own selection and the model in %s, %.2f of the weights from "
          + "it, parameter by parameter (batch-norm statistics measured again on training batches); the blend is the "
          + "model. This model: %s.%n%n", c.blendWith(), c.blendShare(), card.version()));
    }
    md.append("Reproduce: `").append(reproduceCommand(card.taskId(), c)).append("`\n\n");
    md.append("## Inference policy (chosen on val after training)\n");
    String policy = card.inference().describe();
    md.append(Character.toUpperCase(policy.charAt(0))).append(policy.substring(1)).append(".\n\n");
    if (!card.policySearch().isEmpty()) {
      md.append("| decision | mirrored averaging | share mirrored | val acc | val QWK | val MAE |\n|---|---|---|---|---|---|\n");
      for (Map<String, Object> row : card.policySearch()) {
        Object margin = row.get("mirror_below_margin");
        String mirroring = !Boolean.TRUE.equals(row.get("flip_averaging")) ? "off"
            : margin == null ? "always" : "margin < " + margin;
        Object share = row.get("mirrored_share");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f | %.4f |%n", row.get("decision"), mirroring,
            share == null ? "–" : String.format(Locale.ROOT, "%.2f", ((Number) share).doubleValue()),
            ((Number) row.get("accuracy")).doubleValue(), ((Number) row.get("quadratic_weighted_kappa")).doubleValue(),
            ((Number) row.get("mae")).doubleValue()));
      }
      md.append('\n');
    }
    md.append("## Validation metrics (val split, selection set)\n");
    for (Map.Entry<String, Double> e : card.valMetrics().entrySet()) {
      md.append(String.format(Locale.ROOT, "- %s: %.4f%n", e.getKey(), e.getValue()));
    }
    if (card.oversight() != null) {
      md.append(oversight(card.oversight()));
    }
    md.append("\n## History\n| epoch | train loss | val acc | val QWK | val MAE | lr | s |\n|---|---|---|---|---|---|---|\n");
    for (EpochRecord r : card.history()) {
      md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f | %.4f | %.2g | %.0f |%n",
          r.epoch(), r.trainLoss(), r.valAccuracy(), r.valKappa(), r.valMae(), r.learningRate(), r.seconds()));
    }
    md.append("\n## Environment\n");
    card.environment().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\n## Limits\n").append(task.measuresJointSpace()
        ? "Trained on CLAHE-enhanced OAI knee crops (one cohort, one joint crop per image); KL labels carry "
            + "reader noise. Not validated for full radiographs without joint localisation, for children, or for other joints.\n"
        : "Trained and selected on the data above only; not validated on other centres, devices or populations until "
            + "evaluated on them (`rheumalens evaluate --by centre`). Labels carry the readers' disagreement.\n");
    return md.toString();
  }

  /** The train command that repeats this run; options at their defaults are left out. */
  static String reproduceCommand(String taskId, TrainingConfig c) {
    TrainingConfig defaults = TrainingConfig.builder().setData(c.dataDir())
        .setManifests(c.trainManifest(), c.valManifest()).setOutput(c.outDir()).build();
    StringBuilder command = new StringBuilder("./rheumalens train ")
        .append(c.taskFile() != null ? "--task-file " + c.taskFile() : "--task " + taskId);
    if (c.trainManifest() != null) {
      command.append(" --train ").append(c.trainManifest());
      if (c.valManifest() != null) {
        command.append(" --val ").append(c.valManifest());
      } else if (c.heldOutFraction() != defaults.heldOutFraction()) {
        command.append(" --held-out ").append(c.heldOutFraction());
      }
    } else {
      command.append(" --data DATA");
    }
    command.append(" --out DIR --epochs ").append(c.epochs());
    if (c.batchSize() != defaults.batchSize()) {
      command.append(" --batch ").append(c.batchSize());
    }
    // The task file gives the input channels; the preset names the rest.
    int channels = c.network().inputChannels();
    if (!"resnet-basic".equals(c.network().family())
        || !c.network().equals(NetworkSpec.resnet18Half(c.network().classes()).withInputChannels(channels))) {
      for (String preset : java.util.List.of("small", "tiny")) {
        if (c.network().equals(NetworkSpec.preset(preset, c.network().classes()).withInputChannels(channels))) {
          command.append(" --network ").append(preset);
        }
      }
    }
    if (c.learningRate() != defaults.learningRate()) {
      command.append(" --lr ").append(c.learningRate());
    }
    if (c.classWeightPower() != defaults.classWeightPower()) {
      command.append(" --class-weight-power ").append(c.classWeightPower());
    }
    if (c.acquisitionAugmentation()) {
      command.append(" --acquisition-augmentation");
    }
    if (c.archiveAugmentation()) {
      command.append(" --archive-augmentation");
    }
    if (c.normalisation() != null) {
      command.append(" --normalisation ").append(c.normalisation());
    }
    c.teachers().forEach(t -> command.append(" --teacher ").append(t));
    if (!c.teachers().isEmpty() && c.distillWeight() != defaults.distillWeight()) {
      command.append(" --distil-weight ").append(c.distillWeight());
    }
    if (c.neighbourSmoothing() > 0) {
      command.append(" --neighbour-smoothing ").append(c.neighbourSmoothing());
    }
    if (c.mixupAlpha() > 0) {
      command.append(" --mixup ").append(c.mixupAlpha());
    }
    if (c.consistencyWeight() > 0) {
      command.append(" --consistency ").append(c.consistencyWeight());
    }
    if (c.initialWeights() != null) {
      command.append(" --init-from ").append(c.initialWeights());
    }
    if (c.averageFromEpoch() > 0) {
      command.append(" --average-from-epoch ").append(c.averageFromEpoch());
    }
    if (c.blendWith() != null) {
      command.append(" --blend-with ").append(c.blendWith()).append(" --blend-share ").append(c.blendShare());
    }
    return command.append(" --seed ").append(c.seed()).toString();
  }
}
