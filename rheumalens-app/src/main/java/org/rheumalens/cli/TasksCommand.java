package org.rheumalens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rheumalens.tasks.GradingTask;
import org.rheumalens.tasks.TaskDefinition;
import org.rheumalens.tasks.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rheumalens tasks}: the built-in tasks, and what a task file looks like. */
@Command(name = "tasks", mixinStandardHelpOptions = true,
    description = "List the built-in tasks. Your own task is a JSON file passed with --task-file (see docs/tasks.md).")
final class TasksCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Option(names = "--json", description = "Print each built-in task's full definition (a task file of the same form).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    for (GradingTask task : Tasks.builtIn()) {
      TaskDefinition d = task.definition();
      if (json) {
        out.println(mapper.writeValueAsString(d));
        continue;
      }
      out.printf("%-12s %s (%s; %s)%n", d.id(), d.title(), d.modality(), d.subject());
      for (TaskDefinition.Output o : d.outputs()) {
        out.printf("%-12s   output %s: %s %s, manifest column \"%s\"%n", "", o.name(), o.kind().id(),
            o.classes() != null ? String.join("/", o.classes()) : o.range(), o.labelColumn());
      }
      if (!d.pluginsOrNone().isEmpty()) {
        out.printf("%-12s   plug-ins: %s%n", "", String.join(", ", d.pluginsOrNone()));
      }
    }
    if (!json) {
      out.println();
      out.println("Your own task: --task-file FILE, e.g. {\"id\":\"us-synovitis\",\"title\":\"Joint ultrasound synovitis\","
          + "\"subject\":\"joint ultrasound\",\"modality\":\"US\",\"outputs\":[{\"name\":\"synovitis\",\"kind\":\"ordinal\","
          + "\"column\":\"grade\",\"classes\":[\"0\",\"1\",\"2\",\"3\"]}]}");
    }
    out.flush();
    return 0;
  }
}
