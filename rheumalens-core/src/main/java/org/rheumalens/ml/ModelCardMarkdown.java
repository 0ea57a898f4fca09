package org.rheumalens.ml;

import java.util.Locale;
import java.util.Map;

/** Renders a {@link ModelCard} for people: what it grades, on what data, how well, and how to reproduce it. */
final class ModelCardMarkdown {

  private ModelCardMarkdown() {}

  static String render(ModelCard card) {
    StringBuilder md = new StringBuilder();
    TrainingConfig c = card.config();
    md.append("# Model card: ").append(card.name()).append(" (").append(card.version()).append(")\n\n");
    md.append("Task: `").append(card.taskId()).append("`. Created ").append(card.created()).append(".\n\n");
    md.append("## Network\n");
    md.append(String.format(Locale.ROOT, "%s, widths %s, units per stage %s, dropout %.2f, %,d parameters, input 1x%dx%d.%n%n",
        card.network().family(), card.network().widths(), card.network().blocksPerStage(), card.network().dropout(),
        card.parameters(), card.inputSize(), card.inputSize()));
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
    md.append("Reproduce: `./rheumalens train --task ").append(card.taskId()).append(" --data DATA --out DIR --epochs ")
        .append(c.epochs()).append(" --seed ").append(c.seed()).append("`\n\n");
    md.append("## Inference policy (chosen on val after training)\n");
    md.append(String.format(Locale.ROOT, "Decision rule %s, mirrored-image averaging %s.%n%n",
        card.inference().decision(), card.inference().flipAveraging() ? "on" : "off"));
    if (!card.policySearch().isEmpty()) {
      md.append("| decision | flip averaging | val acc | val QWK | val MAE |\n|---|---|---|---|---|\n");
      for (Map<String, Object> row : card.policySearch()) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f |%n", row.get("decision"),
            row.get("flip_averaging"), (Double) row.get("accuracy"), (Double) row.get("quadratic_weighted_kappa"),
            (Double) row.get("mae")));
      }
      md.append('\n');
    }
    md.append("## Validation metrics (val split, selection set)\n");
    for (Map.Entry<String, Double> e : card.valMetrics().entrySet()) {
      md.append(String.format(Locale.ROOT, "- %s: %.4f%n", e.getKey(), e.getValue()));
    }
    md.append("\n## History\n| epoch | train loss | val acc | val QWK | val MAE | lr | s |\n|---|---|---|---|---|---|---|\n");
    for (EpochRecord r : card.history()) {
      md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f | %.4f | %.2g | %.0f |%n",
          r.epoch(), r.trainLoss(), r.valAccuracy(), r.valKappa(), r.valMae(), r.learningRate(), r.seconds()));
    }
    md.append("\n## Environment\n");
    card.environment().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\n## Limits\nTrained on CLAHE-enhanced OAI knee crops (one cohort, one joint crop per image); KL labels carry "
        + "reader noise. Not validated for full radiographs without joint localisation, for children, or for other joints.\n");
    return md.toString();
  }
}
