package org.rheumalens.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Outcome counts of a run over a {@link BadInputCorpus}: how many inputs were read, how many refused and why. */
public final class BadInputSummary {

  /** Causes as a reader words them, in the order they are tried; the first fragment found names the cause. */
  private static final Map<String, String> CAUSES = new LinkedHashMap<>();

  static {
    // First: a mutated file's own name may hold words like "truncated".
    CAUSES.put("wrong modality", "wrong modality");
    CAUSES.put("file is empty", "empty file");
    CAUSES.put("not a readable file", "not a regular file");
    CAUSES.put("decompression bomb", "huge declared dimensions");
    CAUSES.put("not a PNG, JPEG, TIFF, BMP or DICOM", "unrecognised content");
    CAUSES.put("colour image", "colour");
    CAUSES.put("transfer syntax", "unsupported transfer syntax");
    CAUSES.put("not terminated", "truncated or damaged");
    CAUSES.put("truncated", "truncated or damaged");
    CAUSES.put("fewer than", "truncated or damaged");
    CAUSES.put("no pixel data", "no pixel data");
    CAUSES.put("Bits Allocated", "unsupported pixel format");
    CAUSES.put("Samples per Pixel", "unsupported pixel format");
    CAUSES.put("bitmap is not supported", "unsupported pixel format");
    CAUSES.put("not a readable DICOM", "malformed DICOM");
    CAUSES.put("DICOM", "malformed DICOM");
    CAUSES.put("no pixels", "no pixels");
  }

  private final String what;
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> lines = new ArrayList<>();
  private int tried;

  public BadInputSummary(String what) {
    this.what = what;
  }

  /** Counts an input that was read (and graded or stored). */
  public void read(BadInputCorpus.Input input) {
    count(input, "read", "");
  }

  /** Counts an input that was refused with {@code message}. */
  public void refused(BadInputCorpus.Input input, String message) {
    count(input, "refused: " + cause(message), message);
  }

  private void count(BadInputCorpus.Input input, String outcome, String message) {
    tried++;
    outcomes.merge(outcome, 1, Integer::sum);
    lines.add(String.join("\t", input.file().getFileName().toString(), input.kind(), input.expect().name(), outcome,
        message.replace('\n', ' ')));
  }

  /** The short cause a refusal message states ("truncated", "colour", ...), or "other". */
  public static String cause(String message) {
    for (var entry : CAUSES.entrySet()) {
      if (message.contains(entry.getKey())) {
        return entry.getValue();
      }
    }
    return "other";
  }

  public int tried() {
    return tried;
  }

  public Map<String, Integer> outcomes() {
    return Map.copyOf(outcomes);
  }

  /** Prints the summary and writes it as JSON to {@code file}, and one line per input beside it (.tsv). */
  public void report(Path file) throws IOException {
    StringBuilder json = new StringBuilder("{\"what\": \"" + what + "\", \"tried\": " + tried + ", \"outcomes\": {");
    String sep = "";
    for (var entry : outcomes.entrySet()) {
      json.append(sep).append('"').append(entry.getKey()).append("\": ").append(entry.getValue());
      sep = ", ";
    }
    json.append("}}\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, json);
    Files.write(file.resolveSibling(file.getFileName().toString().replace(".json", ".tsv")), lines);
    System.out.printf(Locale.ROOT, "%s: %d inputs tried, %s%n", what, tried, outcomes);
  }
}
