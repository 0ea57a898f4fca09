package org.rheumalens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rheumalens.server.ReviewServer;
import org.rheumalens.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rheumalens serve}: the clinical review app on embedded defaults (H2 file database in ./data, port 8080). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the review app: REST API (/api/openapi.json), AI worker, embedded H2 database by default.")
final class ServeCommand implements Callable<Integer> {

  @Mixin ServerOptions options;
  @Option(names = "--port", defaultValue = "8080") int port;
  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface,"
          + " best with --tls-keystore).")
  String host;
  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "Serve HTTPS with the key and certificate in this PKCS#12 or JKS key store (session cookies are then"
          + " marked Secure).")
  Path tlsKeystore;
  @Option(names = "--tls-password", paramLabel = "PASSWORD", description = "The key store's password (with --tls-keystore).")
  String tlsPassword;
  @Option(names = "--max-upload-mb", defaultValue = "100",
      description = "The largest upload request in MB, refused with 413 before it is read (default: ${DEFAULT-VALUE}).")
  long maxUploadMb;
  @Option(names = "--ai-queue-max", defaultValue = "1000",
      description = "Images waiting for the AI before uploads are answered 429 with Retry-After (default: ${DEFAULT-VALUE}).")
  int aiQueueMax;
  @Option(names = "--min-free-mb", defaultValue = "64",
      description = "Free space the data folder's disk keeps; below it (plus twice the upload) uploads are answered 507"
          + " (default: ${DEFAULT-VALUE}).")
  long minFreeMb;
  @Option(names = "--upload-megapixels-per-minute", defaultValue = "600",
      description = "Decoding one account's uploads may ask for: each file costs its pixels (at least 0.25 MP); over it,"
          + " uploads are answered 429 with Retry-After; 0: no limit (default: ${DEFAULT-VALUE}).")
  int uploadMegapixelsPerMinute;
  @Option(names = "--admin-password", description = "Password of the first 'admin' user (first start only; default: random, printed once).")
  String adminPassword;
  @Option(names = "--ai-delay-ms", defaultValue = "0", hidden = true, description = "Pause before each AI job (crash tests).")
  long aiDelayMs;

  @Override
  public Integer call() throws Exception {
    ServerConfig.Http http = new ServerConfig.Http(host, tlsKeystore, tlsPassword, maxUploadMb * 1024 * 1024);
    ServerConfig.Intake intake = new ServerConfig.Intake(aiQueueMax, minFreeMb * 1024 * 1024, uploadMegapixelsPerMinute);
    ReviewServer.serveUntilShutdown(options.config(port, adminPassword, aiDelayMs).withHttp(http).withIntake(intake),
        System.out);
    return 0;
  }
}
