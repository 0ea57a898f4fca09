package org.rheumalens.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rheumalens.io.CsvTable;
import org.rheumalens.ml.LabelledImage;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.TaskDefinition.Kind;
import org.rheumalens.tasks.TaskDefinition.Output;

/**
 * A dataset as a CSV: {@code image} (a path relative to the CSV: PNG, JPEG or DICOM), one column per output the task
 * names, optional {@code patient}, and any other columns (centre, device, sex, age ...). Every row is checked before
 * anything is trained: a missing column, a missing file or a label outside the task's classes is reported with its
 * row number.
 */
public record Manifest(Path file, List<ManifestRow> rows, List<String> attributeColumns) {

  public static final String IMAGE = "image";
  public static final String PATIENT = "patient";

  public Manifest {
    rows = List.copyOf(rows);
    attributeColumns = List.copyOf(attributeColumns);
  }

  /** Whether {@code path} names a manifest (a .csv file) rather than a folder-per-grade layout. */
  public static boolean isManifest(Path path) {
    return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
  }

  /** Reads and checks a manifest for {@code task}; every problem found is reported at once. */
  public static Manifest read(Path csv, TaskDefinition task) throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new IOException(csv + ": manifest not found");
    }
    CsvTable table;
    try {
      table = CsvTable.read(csv);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(csv, List.of(e.getMessage()));
    }
    Path folder = csv.toAbsolutePath().normalize().getParent();
    List<String> problems = new ArrayList<>();
    if (!has(table, IMAGE)) {
      problems.add("no \"" + IMAGE + "\" column (the image path, relative to the CSV); columns: " + table.header());
    }
    for (Output output : task.outputs()) {
      if (!has(table, output.labelColumn())) {
        problems.add("no \"" + output.labelColumn() + "\" column for output \"" + output.name() + "\"; columns: "
            + table.header());
      }
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(csv, problems);
    }
    Set<String> reserved = new java.util.HashSet<>(Set.of(IMAGE, PATIENT));
    task.outputs().forEach(o -> reserved.add(o.labelColumn()));
    List<String> attributes = table.header().stream().filter(c -> !c.isBlank() && !reserved.contains(c)).toList();
    List<ManifestRow> rows = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      int rowNumber = table.line(i);
      String where = "row " + rowNumber + ": ";
      String imageCell = get(table, i, IMAGE);
      Path image = null;
      if (imageCell.isEmpty()) {
        problems.add(where + "empty \"" + IMAGE + "\"");
      } else {
        image = resolve(folder, imageCell);
        if (!Files.isRegularFile(image)) {
          problems.add(where + "image file " + imageCell + " not found (looked for " + image + ")");
        }
      }
      Map<String, String> labels = new LinkedHashMap<>();
      for (Output output : task.outputs()) {
        String value = get(table, i, output.labelColumn());
        String problem = labelProblem(output, value, folder);
        if (problem != null) {
          problems.add(where + "\"" + output.labelColumn() + "\" " + problem);
        }
        labels.put(output.name(), value);
      }
      String patient = has(table, PATIENT) && !get(table, i, PATIENT).isEmpty() ? get(table, i, PATIENT) : null;
      Map<String, String> values = new LinkedHashMap<>();
      for (String column : attributes) {
        values.put(column, get(table, i, column));
      }
      rows.add(new ManifestRow(rowNumber, image, labels, patient, values));
    }
    if (rows.isEmpty()) {
      problems.add("no rows below the header");
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(csv, problems);
    }
    return new Manifest(csv, rows, attributes);
  }

  private static boolean has(CsvTable table, String column) {
    return table.header().contains(column);
  }

  private static String get(CsvTable table, int row, String column) {
    return table.value(row, column).trim();
  }

  private static String labelProblem(Output output, String value, Path folder) {
    if (value.isEmpty()) {
      return "is empty (output \"" + output.name() + "\" needs a label on every row)";
    }
    Kind kind = output.kind();
    if (kind.isClassification()) {
      return output.classIndex(value) < 0
          ? "is \"" + value + "\", not one of the task's classes " + output.classes() : null;
    }
    if (kind == Kind.REGRESSION) {
      try {
        double v = Double.parseDouble(value);
        return Double.isFinite(v) ? null : "is not a finite number: \"" + value + "\"";
      } catch (NumberFormatException e) {
        return "is not a number: \"" + value + "\"";
      }
    }
    if (org.rheumalens.segmentation.PaintedShapes.looksLikeShapes(value)) {
      try {
        org.rheumalens.segmentation.PaintedShapes.parse(value, output.classes());
        return null;
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    return Files.isRegularFile(resolve(folder, value)) ? null : "mask file " + value + " not found";
  }

  /** The images with their class index in {@code output} (a classification output). */
  public List<LabelledImage> labelled(Output output) {
    return rows.stream()
        .map(r -> new LabelledImage(r.image(), output.classIndex(r.labels().get(output.name()))))
        .toList();
  }

  /**
   * The images with the primary output's class index and, where the task has further outputs, their labels in order
   * (class index, or regression value).
   */
  public List<LabelledImage> labelled(TaskDefinition task) {
    List<Output> rest = task.outputs().subList(1, task.outputs().size());
    return rows.stream().map(r -> {
      float[] secondary = null;
      if (!rest.isEmpty()) {
        secondary = new float[rest.size()];
        for (int k = 0; k < rest.size(); k++) {
          Output o = rest.get(k);
          String value = r.labels().get(o.name());
          secondary[k] = o.kind() == Kind.REGRESSION ? Float.parseFloat(value) : o.classIndex(value);
        }
      }
      return new LabelledImage(r.image(), task.primary().classIndex(r.labels().get(task.primary().name())), secondary);
    }).toList();
  }

  /**
   * A path written in a manifest, against the manifest's folder; a Windows path ({@code scans\\0001.dcm}) is read
   * with forward slashes where only that form exists.
   */
  public static Path resolve(Path folder, String written) {
    Path direct = folder.resolve(written).normalize();
    if (Files.exists(direct) || written.indexOf('\\') < 0) {
      return direct;
    }
    return folder.resolve(written.replace('\\', '/')).normalize();
  }

  /** The folder image paths are relative to. */
  public Path folder() {
    return file.toAbsolutePath().normalize().getParent();
  }

  /** This manifest's rows {@code subset} (as from a split), keeping the file and columns. */
  public Manifest subset(List<ManifestRow> subset) {
    return new Manifest(file, subset, attributeColumns);
  }
}
