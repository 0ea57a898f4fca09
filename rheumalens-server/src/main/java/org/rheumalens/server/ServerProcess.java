package org.rheumalens.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A review server in a child JVM on this JVM's class path ({@link ServerMain}): the crash tests kill it with SIGKILL,
 * and the load test reads its own resident memory from /proc, which a server inside the test's JVM would not have.
 */
public final class ServerProcess implements AutoCloseable {

  private static final Pattern STARTED = Pattern.compile("review app on https?://\\S+:(\\d+)");
  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

  private final Process process;
  private final int port;
  private final List<String> output;

  private ServerProcess(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /**
   * Starts {@code java JVM_OPTIONS ServerMain SERVER_ARGS} and waits until it listens.
   *
   * @param jvmOptions e.g. -Xmx2g
   * @param serverArgs {@link ServerMain}'s {@code --key value} pairs; {@code --port 0} picks a free port
   * @throws IOException when the server exits or does not listen within {@code startup} (the message has its output)
   */
  public static ServerProcess start(List<String> jvmOptions, List<String> serverArgs, Duration startup) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
    command.addAll(serverArgs);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.add(line);
          }
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process died; the port future says so below
      }
      port.completeExceptionally(new IOException("the server exited before it listened: " + String.join("\n", output)));
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ServerProcess(process, port.get(startup.toMillis(), TimeUnit.MILLISECONDS), output);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException(e.getCause() != null ? e.getCause().getMessage() : "the server did not listen within " + startup, e);
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** What the server printed so far. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The server's resident memory (VmRSS from /proc/PID/status) in kB; -1 where /proc is not there or it has exited. */
  public long residentKb() {
    return residentKb(process.pid());
  }

  /** The resident memory of process {@code pid} in kB; -1 where /proc is not there or it has exited. */
  public static long residentKb(long pid) {
    try {
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** SIGKILL: the JVM gets no chance to run shutdown hooks or flush anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, so the server closes its database and models; SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
