package org.rheumalens.cli;

import java.nio.file.Path;
import org.rheumalens.ml.ModelLocation;
import org.rheumalens.server.ServerConfig;
import picocli.CommandLine.Option;

/** Where the review app keeps its data and which database it uses; shared by serve and import. */
final class ServerOptions {

  @Option(names = "--data", defaultValue = "data", description = "Data folder: H2 database, de-identified images, heatmaps (default: ${DEFAULT-VALUE}).")
  Path data;
  @Option(names = "--db", description = "A jdbc:postgresql://host/db URL instead of the embedded H2 database.") String dbUrl;
  @Option(names = "--db-user") String dbUser;
  @Option(names = "--db-password") String dbPassword;
  @Option(names = "--model", description = "Model folder (default: the bundled models/knee-kl).") Path model;

  ServerConfig config(int port, String adminPassword, long aiDelayMs) throws java.io.IOException {
    return new ServerConfig(data, dbUrl, dbUser, dbPassword, port, model != null ? model : ModelLocation.bundled("knee-kl"),
        adminPassword, aiDelayMs);
  }
}
