package org.rheumalens.cli;

import java.util.concurrent.Callable;
import org.rheumalens.server.ReviewServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rheumalens serve}: the clinical review app on embedded defaults (H2 file database in ./data, port 8080). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the review app: REST API (/api/openapi.json), AI worker, embedded H2 database by default.")
final class ServeCommand implements Callable<Integer> {

  @Mixin ServerOptions options;
  @Option(names = "--port", defaultValue = "8080") int port;
  @Option(names = "--admin-password", description = "Password of the first 'admin' user (first start only; default: random, printed once).")
  String adminPassword;
  @Option(names = "--ai-delay-ms", defaultValue = "0", hidden = true, description = "Pause before each AI job (crash tests).")
  long aiDelayMs;

  @Override
  public Integer call() throws Exception {
    ReviewServer.serveUntilShutdown(options.config(port, adminPassword, aiDelayMs), System.out);
    return 0;
  }
}
