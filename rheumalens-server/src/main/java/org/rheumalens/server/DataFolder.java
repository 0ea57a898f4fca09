package org.rheumalens.server;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The data folder holds patient images, the database and the keys: readable by its owner only. New files inside are
 * created owner-only where the code creates them (temporary files, keys); the folder's own mode covers the rest.
 */
public final class DataFolder {

  private DataFolder() {}

  /** Creates {@code dir} and any missing parents as owner-only (rwx------) folders. */
  public static Path privateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !posix(parent)) {
      return Files.createDirectories(dir);
    }
    return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Creates {@code dir} if needed and makes it and everything in it owner-only (rwx------ / rw-------). */
  public static Path makePrivate(Path dir) throws IOException {
    privateDirectories(dir);
    if (!posix(dir)) {
      return dir; // not a POSIX file system: the folder's own protection has to do
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return dir;
  }

  /** The random secret in {@code dir/name}, created (owner-only, atomically) with {@code bytes} bytes on first use. */
  public static byte[] secret(Path dir, String name, int bytes) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      byte[] fresh = new byte[bytes];
      new SecureRandom().nextBytes(fresh);
      Path tmp = Files.createTempFile(dir, name, ".tmp"); // owner-only on POSIX
      Files.write(tmp, fresh);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    byte[] key = Files.readAllBytes(file);
    if (key.length < bytes) {
      throw new IOException(file + ": key is damaged (" + key.length + " bytes, expected " + bytes + ")");
    }
    return key;
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
