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
 * refused, or unreadable) with the objects it stored for it, and the reader's decision pushed back for it. An instance
 * is written here only once its results are in the PACS, so a crash or a failed STOW leaves it to be done again and
 * never loses a result.
 */
final class PacsState {

  /** How an instance was finished. */
  enum Outcome { GRADED, REFUSED, ERROR }

  /**
   * One finished source instance.
   *
   * @param study its Study Instance UID
   * @param series its Series Instance UID (graded ones: to fetch it again)
   * @param sha256 the SHA-256 of the file as fetched (graded ones): how the review store knows the same image
   * @param outcome how it was finished
   * @param summary one line for a person
   * @param model the task of the model that graded it
   * @param outputs the SOP Instance UIDs stored for it
   * @param report the AI's SR among them
   * @param reader the reader's decision stored last, if any
   * @param at when it was finished
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Done(String study, String series, String sha256, Outcome outcome, String summary, String model,
      List<String> outputs, StoredReport report, ReaderReport reader, String at) {

    static Done notGraded(String study, Outcome outcome, String why) {
      return new Done(study, null, null, outcome, why, null, List.of(), null, null, Instant.now().toString());
    }

    static Done graded(String study, String series, String sha256, String summary, String model, List<String> outputs,
        StoredReport report) {
      return new Done(study, series, sha256, Outcome.GRADED, summary, model, List.copyOf(outputs), report, null,
          Instant.now().toString());
    }

    Done withReader(ReaderReport decision) {
      return new Done(study, series, sha256, outcome, summary, model, outputs, report, decision, at);
    }
  }

  /** An SR this command stored: its series and SOP Instance UID, so a later report can refer to it. */
  record StoredReport(String series, String sop) {}

  /** A reader's decision stored as an SR: which decision of the review store it was, the SR, and when. */
  record ReaderReport(long decision, String series, String sop, String at) {}

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

  /** Every object this command stored: the AI's and the readers' reports, the heatmaps. */
  Set<String> outputs() {
    return instances.values().stream().flatMap(d -> java.util.stream.Stream.concat(
        d.outputs() == null ? java.util.stream.Stream.<String>empty() : d.outputs().stream(),
        d.reader() == null ? java.util.stream.Stream.<String>empty() : java.util.stream.Stream.of(d.reader().sop())))
        .collect(Collectors.toSet());
  }

  Map<String, Done> instances() {
    return Map.copyOf(instances);
  }

  /** Records a finished instance and writes the file at once (atomically: a crash leaves the old or the new state). */
  void finish(String sop, Done done) throws IOException {
    instances.put(sop, done);
    write();
  }

  /** Records the reader's decision stored for {@code sop} (superseding any before) and writes the file at once. */
  void readerReportStored(String sop, ReaderReport decision) throws IOException {
    instances.put(sop, instances.get(sop).withReader(decision));
    write();
  }

  private void write() throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    JSON.writeValue(staging.toFile(), new Contents(dicomweb, new LinkedHashMap<>(instances)));
    Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
