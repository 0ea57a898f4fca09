package org.rheumalens.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code pacs} has done, kept in a JSON file across runs: each source instance it finished (graded and stored,
 * refused, or unreadable) with the objects it stored for it. An instance is written here only once its results are
 * in the PACS, so a crash or a failed STOW leaves it to be done again and never loses a result.
 */
final class PacsState {

  /** How an instance was finished. */
  enum Outcome { GRADED, REFUSED, ERROR }

  /** One finished source instance: its study, the outcome, a one-line summary and the SOP Instance UIDs stored for it. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Done(String study, Outcome outcome, String summary, String model, List<String> outputs, String at) {}

  /** The file's contents. */
  record Contents(String dicomweb, Map<String, Done> instances) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final String dicomweb;
  private final Map<String, Done> instances;

  private PacsState(Path file, String dicomweb, Map<String, Done> instances) {
    this.file = file;
    this.dicomweb = dicomweb;
    this.instances = instances;
  }

  /** The state in {@code file}, or an empty one where there is no file yet. */
  static PacsState load(Path file, String dicomweb) throws IOException {
    if (!Files.exists(file)) {
      return new PacsState(file, dicomweb, new TreeMap<>());
    }
    try {
      Contents contents = JSON.readValue(file.toFile(), Contents.class);
      return new PacsState(file, dicomweb, new TreeMap<>(contents.instances() == null ? Map.of() : contents.instances()));
    } catch (IOException e) {
      throw new IOException("state file " + file + " is not readable JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); move it away to start afresh, which grades every instance again", e);
    }
  }

  /** Whether {@code sop} was finished before, or is one of the objects this command stored itself. */
  boolean known(String sop) {
    return instances.containsKey(sop) || outputs().contains(sop);
  }

  Set<String> outputs() {
    return instances.values().stream().flatMap(d -> d.outputs() == null ? java.util.stream.Stream.<String>empty()
        : d.outputs().stream()).collect(Collectors.toSet());
  }

  Map<String, Done> instances() {
    return Map.copyOf(instances);
  }

  /** Records a finished instance and writes the file at once (atomically: a crash leaves the old or the new state). */
  void finish(String sop, String study, Outcome outcome, String summary, String model, List<String> outputs)
      throws IOException {
    instances.put(sop, new Done(study, outcome, summary, model, List.copyOf(outputs), Instant.now().toString()));
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    JSON.writeValue(staging.toFile(), new Contents(dicomweb, new LinkedHashMap<>(instances)));
    Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
