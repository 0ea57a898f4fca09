package org.rheumalens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rheumalens.server.store.Database;
import picocli.CommandLine.Option;

/** Where the review app keeps its data and which database it uses; shared by serve, import and pacs. */
final class StoreOptions {

  @Option(names = "--data", defaultValue = "data", description = "Data folder: H2 database, de-identified images, heatmaps (default: ${DEFAULT-VALUE}).")
  Path data;
  @Option(names = "--db", description = "A jdbc:postgresql://host/db URL instead of the embedded H2 database.") String dbUrl;
  @Option(names = "--db-user") String dbUser;
  @Option(names = "--db-password") String dbPassword;

  /**
   * The review store as it is: nothing is created, so a mistyped folder is an error rather than a new, empty store.
   * The embedded H2 file is one process's at a time: a server running on the folder makes this fail, saying so.
   */
  Database openExisting() throws IOException {
    if (dbUrl != null) {
      return Database.open(dbUrl, dbUser, dbPassword);
    }
    if (!Files.isRegularFile(data.resolve("rheumalens.mv.db"))) {
      throw new IOException("no review store in " + data.toAbsolutePath() + " (no rheumalens.mv.db there): give --data "
          + "the folder the review app uses");
    }
    return Database.embedded(data);
  }
}
