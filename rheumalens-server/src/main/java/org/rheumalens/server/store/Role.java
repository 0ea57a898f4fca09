package org.rheumalens.server.store;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** What a user may do: readers review cases; admins also manage users and watch agreement and the audit log. */
public enum Role implements RouteRole {
  READER,
  ADMIN;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
