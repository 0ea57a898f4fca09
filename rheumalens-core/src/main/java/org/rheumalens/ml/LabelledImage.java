package org.rheumalens.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image file and its reference grade (the primary output's class index), as found in a folder-per-grade layout
 * ({@code DIR/0/..}, {@code DIR/4/..}) or a manifest row; {@code secondary} holds the labels of the task's further
 * outputs in order (a class index, or a regression value as written), null when it has none.
 */
public record LabelledImage(Path file, int grade, float[] secondary) {

  public LabelledImage(Path file, int grade) {
    this(file, grade, null);
  }

  /** Lists {@code dir/0 .. dir/(classes-1)} in a stable order; missing grade folders are allowed, other layouts not. */
  public static List<LabelledImage> scanFolders(Path dir, int classes) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory (expected sub-folders 0.." + (classes - 1) + " of images)");
    }
    List<LabelledImage> images = new ArrayList<>();
    for (int grade = 0; grade < classes; grade++) {
      Path gradeDir = dir.resolve(Integer.toString(grade));
      if (!Files.isDirectory(gradeDir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(gradeDir)) {
        int g = grade;
        files.filter(Files::isRegularFile).sorted().forEach(f -> images.add(new LabelledImage(f, g)));
      }
    }
    if (images.isEmpty()) {
      throw new IOException(dir + ": no images in sub-folders 0.." + (classes - 1));
    }
    return images;
  }

  public static int[] countPerGrade(List<LabelledImage> images, int classes) {
    int[] counts = new int[classes];
    images.forEach(i -> counts[i.grade()]++);
    return counts;
  }
}
