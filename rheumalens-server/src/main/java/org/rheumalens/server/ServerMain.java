package org.rheumalens.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the review server in its own process with plain {@code --key value} arguments ({@code --model} repeatable) (the same settings as
 * {@code rheumalens serve}); the crash tests start it this way so they can kill it with SIGKILL.
 */
public final class ServerMain {

  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    List<Path> models = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
      }
      if (args[i].equals("--model")) {
        models.add(Path.of(args[i + 1]));
      } else {
        opts.put(args[i].substring(2), args[i + 1]);
      }
    }
    ServerConfig config = new ServerConfig(Path.of(opts.getOrDefault("data", "data")), opts.get("db"), opts.get("db-user"),
        opts.get("db-password"), Integer.parseInt(opts.getOrDefault("port", "8080")), models,
        opts.get("admin-password"), Long.parseLong(opts.getOrDefault("ai-delay-ms", "0")),
        new ServerConfig.Http(opts.getOrDefault("host", ServerConfig.Http.DEFAULT.host()),
            opts.containsKey("tls-keystore") ? Path.of(opts.get("tls-keystore")) : null, opts.get("tls-password"),
            Long.parseLong(opts.getOrDefault("max-upload-bytes", String.valueOf(ServerConfig.Http.DEFAULT_MAX_UPLOAD_BYTES)))),
        new ServerConfig.Intake(Integer.parseInt(opts.getOrDefault("ai-queue-max", String.valueOf(ServerConfig.Intake.DEFAULT.aiQueueMax()))),
            Long.parseLong(opts.getOrDefault("min-free-bytes", String.valueOf(ServerConfig.Intake.DEFAULT.minFreeBytes()))),
            Integer.parseInt(opts.getOrDefault("upload-megapixels-per-minute",
                String.valueOf(ServerConfig.Intake.DEFAULT_UPLOAD_MEGAPIXELS_PER_MINUTE)))));
    ReviewServer.serveUntilShutdown(config, System.out);
  }
}
