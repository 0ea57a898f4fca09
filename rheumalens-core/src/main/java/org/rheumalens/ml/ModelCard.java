package org.rheumalens.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rheumalens.oversight.OversightSettings;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.Tasks;

/**
 * What a trained model is and how it came to be: enough to rebuild its network, repeat its training and judge it.
 * Stored as {@code model-card.json} beside the weights; a Markdown rendering goes to {@code MODEL_CARD.md}.
 */
public record ModelCard(
    String name,
    String taskId,
    String version,
    String created,
    NetworkSpec network,
    long parameters,
    int inputSize,
    List<String> preprocessing,
    Map<String, Object> data,
    TrainingConfig config,
    int bestEpoch,
    Map<String, Double> valMetrics,
    double trainingSeconds,
    List<EpochRecord> history,
    Map<String, String> environment,
    InferencePolicy inference,
    List<Map<String, Object>> policySearch,
    OversightSettings oversight,
    TaskDefinition task) {

  public ModelCard {
    inference = inference == null ? InferencePolicy.PLAIN : inference;
    policySearch = policySearch == null ? List.of() : policySearch;
  }

  /**
   * This card at the end of training: the whole run's history and time, the inference policy chosen on val, the val
   * metrics under it, and every candidate policy tried.
   */
  public ModelCard finished(List<EpochRecord> fullHistory, double seconds, InferencePolicy policy,
      Map<String, Double> metrics, List<Map<String, Object>> search) {
    return new ModelCard(name, taskId, version, created, network, parameters, inputSize, preprocessing, data, config,
        bestEpoch, metrics, seconds, fullHistory, environment, policy, search, oversight, task);
  }

  /** This card with calibration, out-of-distribution gate and triage limits fitted after training. */
  public ModelCard withOversight(OversightSettings settings) {
    return new ModelCard(name, taskId, version, created, network, parameters, inputSize, preprocessing, data, config,
        bestEpoch, valMetrics, trainingSeconds, history, environment, inference, policySearch, settings, task);
  }

  /**
   * The task this model was trained for: the definition the card keeps (every model trained since task files), or
   * the built-in task of the card's id (older cards, such as the bundled knee model's).
   */
  public GradingTask gradingTask() {
    return Tasks.of(task, taskId);
  }

  /** Id of the task normalisation the network was trained with; null (cards from before it was kept): the default. */
  public String normalisationId() {
    return config == null ? null : config.normalisation();
  }

  /** The card's val metrics: n, accuracy, balanced accuracy, QWK, MAE and each grade's recall. */
  static Map<String, Double> metrics(org.rheumalens.eval.GradingMetrics m, List<String> grades) {
    Map<String, Double> val = new java.util.LinkedHashMap<>();
    val.put("n", (double) m.n());
    val.put("accuracy", m.accuracy());
    val.put("balanced_accuracy", m.balancedAccuracy());
    val.put("quadratic_weighted_kappa", m.quadraticWeightedKappa());
    val.put("mae", m.meanAbsoluteError());
    for (int k = 0; k < grades.size(); k++) {
      val.put("recall_" + grades.get(k), m.perGradeRecall()[k]);
    }
    return val;
  }

  /** This card with the inference policy chosen again on val (weights, history and oversight unchanged). */
  public ModelCard withPolicy(InferencePolicy policy, Map<String, Double> metrics, List<Map<String, Object>> search) {
    return new ModelCard(name, taskId, version, created, network, parameters, inputSize, preprocessing, data, config,
        bestEpoch, metrics, trainingSeconds, history, environment, policy, search, oversight, task);
  }

  public static final String FILE = "model-card.json";
  static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new Jdk8Module()).enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve(FILE).toFile(), this);
    Files.writeString(dir.resolve("MODEL_CARD.md"), ModelCardMarkdown.render(this));
  }

  public static ModelCard read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": no " + FILE + " (not a RheumaLens model folder)");
    }
    return JSON.readValue(file.toFile(), ModelCard.class);
  }
}
