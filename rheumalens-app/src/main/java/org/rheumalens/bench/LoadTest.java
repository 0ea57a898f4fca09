package org.rheumalens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.ServerProcess;

/**
 * Load on the review app over loopback HTTP: uploads stream in while readers browse the worklist, open cases, view
 * images and decide. Counts and times every request by route, samples the server's resident memory and AI queue, and
 * checks the AI queue pushes back (429 with Retry-After) instead of growing without bound. Bounded by a number of
 * gradings and a number of seconds, whichever comes first.
 */
public final class LoadTest {

  /**
   * What to run.
   *
   * @param gradings uploads to have graded (each a different image)
   * @param seconds the whole run stops after this long, graded or not
   * @param readers concurrent reader sessions browsing and deciding
   * @param uploaders concurrent upload streams
   * @param aiQueueMax the started server's AI queue bound (serve --ai-queue-max)
   * @param images folder of greyscale PNGs to upload (knee crops), or null / absent for generated ones
   * @param url an already running server on this machine to load instead of starting one (null: start one)
   * @param adminPassword the running server's admin password (with url)
   * @param serverPid the running server's process id, to sample its memory (with url; 0: none)
   * @param serverHeapMb the started server's heap, committed and touched at start (-Xms = -Xmx)
   */
  public record Settings(int gradings, int seconds, int readers, int uploaders, int aiQueueMax, Path images, URI url,
      String adminPassword, long serverPid, int serverHeapMb) {

    public Settings {
      if (gradings < 1 || seconds < 1 || readers < 1 || uploaders < 1 || aiQueueMax < 1) {
        throw new IllegalArgumentException("gradings, seconds, readers, uploaders and the AI queue must be at least 1");
      }
      if (url != null && adminPassword == null) {
        throw new IllegalArgumentException("--url needs --admin-password (the load test creates its reader users)");
      }
    }
  }

  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);
  private static final int ERRORS_KEPT = 20;

  private final Settings settings;
  private final PrintStream log;
  private final Map<String, List<Double>> timings = new ConcurrentHashMap<>();
  private final AtomicLong errors = new AtomicLong();
  private final List<String> errorSamples = new ArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong nextUpload = new AtomicLong();
  private final AtomicLong pushedBack = new AtomicLong();
  private final AtomicLong decisions = new AtomicLong();
  private final Set<Long> claimed = ConcurrentHashMap.newKeySet();
  private final List<Map<String, Object>> samples = new ArrayList<>();
  private volatile boolean stop;

  private LoadTest(Settings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  /** Runs the load and returns its record (the JSON the command writes). */
  public static Map<String, Object> run(Settings settings, PrintStream log) throws Exception {
    return new LoadTest(settings, log).run();
  }

  private Map<String, Object> run() throws Exception {
    LoadImages images = LoadImages.from(settings.images());
    Path data = null;
    ServerProcess server = null;
    URI base = settings.url();
    String adminPassword = settings.adminPassword();
    try {
      if (base == null) {
        data = Files.createTempDirectory("rheumalens-loadtest-");
        adminPassword = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(12));
        // The whole heap committed and touched up front: the resident memory sampled then grows only with native
        // memory (PyTorch, buffers, metaspace), which is what "flat over 10,000 gradings" is about.
        server = ServerProcess.start(serverHeapOptions(settings.serverHeapMb()), List.of("--data", data.toString(),
            "--port", "0", "--host", "127.0.0.1", "--model", ModelLocation.bundled("knee-kl").toString(),
            "--admin-password", adminPassword, "--ai-queue-max", Integer.toString(settings.aiQueueMax())),
            Duration.ofMinutes(3));
        base = URI.create("http://127.0.0.1:" + server.port());
        log.printf("loadtest: server pid %d on %s, data in %s%n", server.pid(), base, data);
      } else {
        requireLoopback(base);
      }
      long pid = server != null ? server.pid() : settings.serverPid();
      return load(base, adminPassword, pid, images);
    } finally {
      if (server != null) {
        server.close();
      }
      if (data != null) {
        deleteTree(data);
      }
    }
  }

  private Map<String, Object> load(URI base, String adminPassword, long pid, LoadImages images) throws Exception {
    LoadClient admin = new LoadClient(base);
    admin.login("admin", adminPassword);
    String readerPassword = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(12));
    String prefix = "load" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    List<String> readerNames = new ArrayList<>();
    for (int i = 0; i < settings.readers(); i++) {
      String name = prefix + "-r" + i;
      LoadClient.Answer made = admin.postJson("/api/admin/users",
          Map.of("username", name, "role", "reader", "password", readerPassword));
      if (made.status() != 201) {
        throw new IOException("could not create reader " + name + ": " + made.status() + " " + made.text());
      }
      readerNames.add(name);
    }
    JsonNode before = queue(admin);
    long startDone = before.path("done").asLong() + before.path("failed").asLong();
    long start = System.nanoTime();
    long deadline = start + settings.seconds() * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(settings.uploaders() + settings.readers());
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < settings.uploaders(); i++) {
      workers.add(pool.submit(() -> upload(base, adminPassword, images, deadline)));
    }
    for (String name : readerNames) {
      workers.add(pool.submit(() -> read(base, name, readerPassword)));
    }
    long graded = 0;
    long maxQueued = 0;
    while (System.nanoTime() < deadline) {
      JsonNode queue = queue(admin);
      graded = queue.path("done").asLong() + queue.path("failed").asLong() - startDone;
      maxQueued = Math.max(maxQueued, queue.path("queued").asLong());
      Map<String, Object> sample = new LinkedHashMap<>();
      sample.put("t_s", round((System.nanoTime() - start) / 1e9));
      sample.put("rss_mb", pid > 0 ? round(ServerProcess.residentKb(pid) / 1024.0) : null);
      sample.put("graded", graded);
      sample.put("queued", queue.path("queued").asLong());
      sample.put("decisions", decisions.get());
      samples.add(sample);
      if (graded >= settings.gradings()) {
        break;
      }
      Thread.sleep(SAMPLE_EVERY.toMillis());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    stop = true;
    pool.shutdown();
    for (Future<?> worker : workers) {
      try {
        worker.get();
      } catch (java.util.concurrent.ExecutionException e) {
        error("worker: " + e.getCause());
      }
    }
    JsonNode queue = queue(admin);
    long failed = queue.path("failed").asLong();
    return record(images, graded, failed, maxQueued, seconds, graded >= settings.gradings());
  }

  private void upload(URI base, String adminPassword, LoadImages images, long deadline) {
    LoadClient client = new LoadClient(base);
    try {
      client.login("admin", adminPassword);
    } catch (Exception e) {
      error("uploader login: " + e);
      return;
    }
    long index = -1;
    while (!stop && System.nanoTime() < deadline) {
      try {
        if (index < 0) {
          if (nextUpload.get() >= settings.gradings()) {
            return;
          }
          index = nextUpload.getAndIncrement();
          if (index >= settings.gradings()) {
            return;
          }
        }
        LoadClient.Answer a = client.upload(images.upload(index));
        if (a.status() == 429) {
          // Back-pressure: the same image again after the server's Retry-After (at most 2 s, so the test stays short).
          pushedBack.incrementAndGet();
          time("upload_refused_429", a.ms());
          if (a.retryAfterSeconds() < 0) {
            error("429 without Retry-After");
          }
          Thread.sleep(Math.min(2000, Math.max(100, a.retryAfterSeconds() * 1000)));
          continue;
        }
        time("upload", a.ms());
        if (a.status() == 202) {
          accepted.incrementAndGet();
        } else {
          error("upload: " + a.status() + " " + a.text());
        }
        index = -1;
      } catch (Exception e) {
        // Counted, and the stream goes on with the next image: one failed request must not end the load.
        error("upload: " + e);
        index = -1;
      }
    }
  }

  private void read(URI base, String name, String password) {
    LoadClient client = new LoadClient(base);
    try {
      time("login", client.login(name, password).ms());
    } catch (Exception e) {
      error("reader " + name + " login: " + e);
      return;
    }
    while (!stop) {
      try {
        LoadClient.Answer list = expect(client.get("/api/worklist?status=undecided"), 200, "worklist");
        Long pick = null;
        if (list != null) {
          for (JsonNode item : list.json().path("items")) {
            long id = item.path("imageId").asLong();
            if ("done".equals(item.path("status").asText()) && !item.path("aiGrade").isNull() && claimed.add(id)) {
              pick = id;
              break;
            }
          }
        }
        if (pick == null) {
          Thread.sleep(1000); // nothing graded to read yet: come back later, not in a tight loop
          continue;
        }
        expect(client.get("/api/images/" + pick), 200, "case");
        expect(client.get("/api/images/" + pick + "/display.png"), 200, "image");
        if (expect(client.postJson("/api/images/" + pick + "/decision", Map.of("action", "accept")), 201, "decision") != null) {
          decisions.incrementAndGet();
        }
      } catch (Exception e) {
        error("reader " + name + ": " + e);
      }
    }
  }

  /** Times the answer under {@code route}; an unexpected status is an error (returns null). */
  private LoadClient.Answer expect(LoadClient.Answer a, int status, String route) {
    time(route, a.ms());
    if (a.status() != status) {
      error(route + ": " + a.status() + " " + a.text());
      return null;
    }
    return a;
  }

  private JsonNode queue(LoadClient admin) throws IOException, InterruptedException {
    // The failed filter keeps the answer small; every worklist answer carries the queue counts.
    LoadClient.Answer a = admin.get("/api/worklist?status=failed");
    if (a.status() != 200) {
      throw new IOException("worklist: " + a.status() + " " + a.text());
    }
    return a.json().path("queue");
  }

  private void time(String route, double ms) {
    timings.computeIfAbsent(route, r -> java.util.Collections.synchronizedList(new ArrayList<>())).add(ms);
  }

  private void error(String message) {
    errors.incrementAndGet();
    synchronized (errorSamples) {
      if (errorSamples.size() < ERRORS_KEPT) {
        errorSamples.add(message.length() > 300 ? message.substring(0, 300) + "..." : message);
      }
    }
    log.println("loadtest: error: " + message);
  }

  private Map<String, Object> record(LoadImages images, long graded, long failed, long maxQueued, double seconds,
      boolean complete) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("complete", complete);
    json.put("gradings_target", settings.gradings());
    json.put("graded", graded);
    json.put("ai_failed", failed);
    json.put("uploads_accepted", accepted.get());
    json.put("uploads_pushed_back_429", pushedBack.get());
    json.put("decisions", decisions.get());
    json.put("errors", errors.get());
    json.put("error_samples", List.copyOf(errorSamples));
    json.put("seconds", round(seconds));
    json.put("gradings_per_s", round(graded / seconds));
    long requests = timings.values().stream().mapToLong(List::size).sum();
    json.put("requests", requests);
    json.put("requests_per_s", round(requests / seconds));
    Map<String, Object> latency = new LinkedHashMap<>();
    timings.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> latency.put(e.getKey(), percentiles(e.getValue())));
    json.put("latency_ms", latency);
    json.put("ai_queue_max", settings.url() == null ? settings.aiQueueMax() : null);
    json.put("ai_queue_max_observed", maxQueued);
    json.put("rss_mb", rssSummary());
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("readers", settings.readers());
    run.put("uploaders", settings.uploaders());
    run.put("seconds_limit", settings.seconds());
    run.put("server", settings.url() == null
        ? "started by the load test (" + String.join(" ", serverHeapOptions(settings.serverHeapMb())) + ", H2)"
        : settings.url().toString());
    run.put("images", images.source());
    run.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("run", run);
    json.put("samples", List.copyOf(samples));
    return json;
  }

  private static Map<String, Object> percentiles(List<Double> values) {
    double[] s;
    synchronized (values) {
      s = values.stream().mapToDouble(Double::doubleValue).toArray();
    }
    Arrays.sort(s);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("count", s.length);
    p.put("p50", round(Latency.percentile(s, 0.50)));
    p.put("p95", round(Latency.percentile(s, 0.95)));
    p.put("p99", round(Latency.percentile(s, 0.99)));
    p.put("max", round(s[s.length - 1]));
    return p;
  }

  /**
   * The server's resident memory after warm-up (the first tenth of the gradings): first and last tenth of the samples
   * (medians), and the least-squares growth per 1,000 gradings; flat when the fitted growth over the window stays
   * under 10% of the start.
   */
  private Map<String, Object> rssSummary() {
    List<double[]> points = new ArrayList<>();
    double maxRss = 0;
    for (Map<String, Object> s : samples) {
      if (s.get("rss_mb") instanceof Double rss && rss > 0) {
        maxRss = Math.max(maxRss, rss);
        if ((Long) s.get("graded") >= settings.gradings() / 10) {
          points.add(new double[] {(Long) s.get("graded"), rss});
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (points.size() < 4) {
      out.put("sampled", false);
      out.put("max", maxRss > 0 ? maxRss : null);
      return out;
    }
    int tenth = Math.max(1, points.size() / 10);
    double first = median(points.subList(0, tenth).stream().mapToDouble(p -> p[1]).toArray());
    double last = median(points.subList(points.size() - tenth, points.size()).stream().mapToDouble(p -> p[1]).toArray());
    double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
    double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
    double sxy = points.stream().mapToDouble(p -> (p[0] - mx) * (p[1] - my)).sum();
    double sxx = points.stream().mapToDouble(p -> (p[0] - mx) * (p[0] - mx)).sum();
    double slope = sxx == 0 ? 0 : sxy / sxx;
    double span = points.get(points.size() - 1)[0] - points.get(0)[0];
    out.put("sampled", true);
    out.put("after_warmup_first", round(first));
    out.put("last", round(last));
    out.put("max", round(maxRss));
    out.put("growth_per_1000_gradings", round(slope * 1000));
    out.put("fitted_growth_over_window", round(slope * span));
    out.put("window_gradings", (long) span);
    out.put("flat", slope * span < 0.10 * first);
    return out;
  }

  static List<String> serverHeapOptions(int heapMb) {
    return List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+AlwaysPreTouch");
  }

  private static double median(double[] values) {
    return Latency.of(values).medianMs();
  }

  private static void requireLoopback(URI url) throws IOException {
    if (url.getHost() == null || !InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException("the load test only loads a server on this machine (loopback), not " + url);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
