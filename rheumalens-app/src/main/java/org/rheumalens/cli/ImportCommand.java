package org.rheumalens.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rheumalens.dicom.web.DicomWebClient;
import org.rheumalens.dicom.web.PacsInstance;
import org.rheumalens.server.BatchImport;
import org.rheumalens.tasks.GradingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rheumalens import}: ingest files and folders into the review store (de-identified, queued for the AI). */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import PNG, JPEG, TIFF, BMP or DICOM files and folders, or the images of a PACS (--dicomweb), into "
        + "the review app's store; exit code 1 if any was rejected.")
final class ImportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions options;
  @Parameters(arity = "0..*", paramLabel = "FILE_OR_DIR") List<Path> inputs;
  @Option(names = "--dicomweb", paramLabel = "URL", description = "Also import every image of the task's modality "
      + "that this PACS holds (QIDO-RS, WADO-RS); de-identified like any import, and one already stored is not "
      + "stored twice.") String dicomweb;
  @Option(names = "--patient", description = "Patient identifier for plain image files (DICOM files carry their own).") String patient;
  @Option(names = "--task", paramLabel = "ID", defaultValue = TaskOptions.DEFAULT_TASK,
      description = "The task the images are for, so the model that grades them (default: ${DEFAULT-VALUE}); a task"
          + " from a task file is known by its --model folder.")
  String taskId;

  @Override
  public Integer call() throws Exception {
    List<Path> files = new ArrayList<>(inputs == null ? List.of() : inputs);
    if (files.isEmpty() && dicomweb == null) {
      throw new ParameterException(spec.commandLine(), "give files or folders to import, or --dicomweb URL");
    }
    GradingTask task = options.task(taskId);
    Path fetched = dicomweb == null ? null : fetch(task);
    try {
      if (fetched != null) {
        files.add(fetched);
      }
      BatchImport.Summary summary = BatchImport.run(options.config(0, null, 0), files, patient, task,
          spec.commandLine().getOut());
      return summary.rejected() > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
    } finally {
      if (fetched != null) {
        PacsCommand.deleteTree(fetched);
      }
    }
  }

  /** The PACS's images of the task's modality, fetched into a temporary folder (the importer reads them from there). */
  private Path fetch(GradingTask task) throws java.io.IOException {
    DicomWebClient pacs = new DicomWebClient(dicomweb, 4, Duration.ofSeconds(1), spec.commandLine().getErr()::println);
    var modalities = PacsInstance.dicomModalities(task.definition().modality());
    Path dir = Files.createTempDirectory("rheumalens-import");
    try {
      int n = 0;
      for (PacsInstance instance : pacs.allInstances()) {
        if (!instance.isReport() && modalities.contains(instance.modality())) {
          Files.write(dir.resolve(instance.sop() + ".dcm"), pacs.fetch(instance));
          n++;
        }
      }
      spec.commandLine().getOut().printf("%d images of modality %s fetched from %s%n", n,
          String.join("/", new java.util.TreeSet<>(modalities)), pacs.base());
      return dir;
    } catch (java.io.IOException | RuntimeException e) {
      PacsCommand.deleteTree(dir);
      throw e;
    }
  }
}
