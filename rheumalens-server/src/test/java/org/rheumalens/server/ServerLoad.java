package org.rheumalens.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Uploads and decisions streaming into a server from a few threads, remembering what the server acknowledged (2xx) so
 * a fault test can check none of it is lost, and which statuses it answered while the fault lasted.
 */
final class ServerLoad implements AutoCloseable {

  /** An acknowledged decision: the image, and the reason that makes it findable again (each one unique). */
  record Decided(long imageId, String reason, int grade) {}

  private final int port;
  private final BufferedImage pixels;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong next = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stop;
  final Set<Long> uploaded = ConcurrentHashMap.newKeySet();
  final Set<Decided> decided = ConcurrentHashMap.newKeySet();
  /** How often each status was answered, by "upload 202", "decision 503" and so on; failed connections as "... io". */
  final ConcurrentMap<String, AtomicInteger> answers = new ConcurrentHashMap<>();

  private ServerLoad(int port, Path knee) throws Exception {
    this.port = port;
    this.pixels = ImageIO.read(knee.toFile());
  }

  /** Starts {@code uploaders} upload streams and {@code deciders} readers overriding graded images, as admin. */
  static ServerLoad start(int port, Path knee, int uploaders, int deciders) throws Exception {
    ServerLoad load = new ServerLoad(port, knee);
    for (int i = 0; i < uploaders; i++) {
      load.spawn("upload", load::uploadOnce);
    }
    for (int i = 0; i < deciders; i++) {
      load.spawn("decision", load::decideOnce);
    }
    return load;
  }

  /** Requests sent and not yet answered, now. */
  int inFlight() {
    return inFlight.get();
  }

  int count(String key) {
    AtomicInteger n = answers.get(key);
    return n == null ? 0 : n.get();
  }

  /** Waits until at least {@code uploads} uploads and {@code decisions} decisions were acknowledged. */
  void awaitAcknowledged(int uploads, int decisions, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (uploaded.size() < uploads || decided.size() < decisions) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("acknowledged only " + uploaded.size() + " uploads and " + decided.size()
            + " decisions in " + timeoutMs + " ms: " + answers);
      }
      Thread.sleep(100);
    }
  }

  private interface Step {
    void run(ApiClient client) throws Exception;
  }

  private void spawn(String kind, Step step) {
    Thread t = new Thread(() -> {
      ApiClient client = null;
      while (!stop) {
        inFlight.incrementAndGet();
        try {
          if (client == null) {
            ApiClient fresh = new ApiClient(port);
            if (fresh.login("admin", ReviewServerIT.ADMIN_PASSWORD).status() == 200) {
              client = fresh;
            }
          } else {
            step.run(client);
          }
        } catch (java.io.IOException e) {
          answers.computeIfAbsent(kind + " io", k -> new AtomicInteger()).incrementAndGet();
          client = null;
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          answers.computeIfAbsent(kind + " " + e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
        } finally {
          inFlight.decrementAndGet();
        }
        pause(20);
      }
    }, "load-" + kind);
    t.setDaemon(true);
    t.start();
    threads.add(t);
  }

  private void uploadOnce(ApiClient client) throws Exception {
    long n = next.getAndIncrement();
    ApiClient.Response r = client.uploadParts(List.of(numbered(n)), Map.of());
    tally("upload", r.status());
    if (r.status() == 202) {
      uploaded.add(r.json().get("accepted").get(0).get("imageId").asLong());
    }
  }

  private void decideOnce(ApiClient client) throws Exception {
    ApiClient.Response list = client.get("/api/worklist?status=done");
    tally("worklist", list.status());
    if (list.status() != 200) {
      return;
    }
    List<Long> graded = new ArrayList<>();
    for (JsonNode item : list.json().get("items")) {
      graded.add(item.get("imageId").asLong());
    }
    if (graded.isEmpty()) {
      pause(200);
      return;
    }
    long id = graded.get((int) (Math.random() * graded.size()));
    long n = next.getAndIncrement();
    int grade = (int) (n % 5);
    String reason = "fault test decision " + n;
    ApiClient.Response r = client.postJson("/api/images/" + id + "/decision",
        Map.of("action", "override", "grade", grade, "reason", reason));
    tally("decision", r.status());
    if (r.status() == 201) {
      decided.add(new Decided(id, reason, grade));
    }
  }

  private void tally(String kind, int status) {
    answers.computeIfAbsent(kind + " " + status, k -> new AtomicInteger()).incrementAndGet();
  }

  /** The knee crop with {@code n} written into four pixels: a different image for every upload. */
  private ApiClient.Part numbered(long n) throws Exception {
    BufferedImage copy = new BufferedImage(pixels.getWidth(), pixels.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    copy.getGraphics().drawImage(pixels, 0, 0, null);
    for (int b = 0; b < 4; b++) {
      copy.getRaster().setSample(b, 0, 0, (int) (n >>> (8 * b)) & 0xff);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(copy, "png", png);
    return new ApiClient.Part("9" + (200000 + n % 100) + "L.png", png.toByteArray());
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(90_000);
    }
  }
}
