package org.rheumalens.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Progress saved beside each checkpoint, so a stopped run resumes at the next epoch with its history intact. */
public record TrainingState(int epochsDone, int bestEpoch, double bestScore, double trainingSeconds, List<EpochRecord> history) {

  static final String FILE = "state.json";

  public static TrainingState fresh() {
    return new TrainingState(0, 0, -2, 0, List.of());
  }

  /**
   * This state with no best epoch: a run carried between machines keeps only its latest weights (runs/), so an earlier
   * best epoch's weights are gone and selection starts again from the next epoch.
   */
  TrainingState withoutBest() {
    return new TrainingState(epochsDone, 0, fresh().bestScore(), trainingSeconds, history);
  }

  TrainingState after(EpochRecord record, int newBestEpoch, double newBestScore, double seconds) {
    List<EpochRecord> all = new ArrayList<>(history);
    all.add(record);
    return new TrainingState(record.epoch(), newBestEpoch, newBestScore, trainingSeconds + seconds, List.copyOf(all));
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    ModelCard.JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static Optional<TrainingState> read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    return Files.isRegularFile(file) ? Optional.of(ModelCard.JSON.readValue(file.toFile(), TrainingState.class)) : Optional.empty();
  }
}
