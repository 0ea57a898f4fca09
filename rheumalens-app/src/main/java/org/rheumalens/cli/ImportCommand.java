package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rheumalens.server.BatchImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rheumalens import}: ingest files and folders into the review store (de-identified, queued for the AI). */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import PNG, JPEG, TIFF, BMP or DICOM files and folders into the review app's store;"
        + " exit code 1 if any was rejected.")
final class ImportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions options;
  @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR") List<Path> inputs;
  @Option(names = "--patient", description = "Patient identifier for plain image files (DICOM files carry their own).") String patient;
  @Option(names = "--task", paramLabel = "ID", defaultValue = TaskOptions.DEFAULT_TASK,
      description = "The task the images are for, so the model that grades them (default: ${DEFAULT-VALUE}); a task"
          + " from a task file is known by its --model folder.")
  String taskId;

  @Override
  public Integer call() throws Exception {
    BatchImport.Summary summary = BatchImport.run(options.config(0, null, 0), inputs, patient,
        options.task(taskId), spec.commandLine().getOut());
    return summary.rejected() > 0 ? GradeCommand.SOME_INPUTS_FAILED : 0;
  }
}
