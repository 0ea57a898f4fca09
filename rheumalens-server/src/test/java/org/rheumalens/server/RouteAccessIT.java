package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the server has registered (read from the running app, not copied here, so a new route is covered the
 * day it is added), called with no session, as a reader and as an administrator: only the public ones answer
 * without a session, admin routes refuse readers, every state change needs the CSRF token, and no call is a 500.
 */
class RouteAccessIT {

  /** The routes anyone may call: the login, the API description and the redirect to the login page. */
  private static final Set<String> PUBLIC = Set.of("GET /", "GET /api/openapi.json", "POST /api/login");

  @Test
  void everyRouteAnswersEachRoleAsItShould(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient admin = new ApiClient(server.port());
      admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      for (String name : List.of("reader1", "victim1")) {
        assertThat(admin.postJson("/api/admin/users", Map.of("username", name, "role", "reader", "password",
            "reader-password-1")).status()).isEqualTo(201);
      }
      long victim = -1;
      for (var user : admin.get("/api/admin/users").json()) {
        victim = user.get("username").asText().equals("victim1") ? user.get("id").asLong() : victim;
      }
      long image = admin.upload(List.of(ReviewServerIT.firstKnee()), null).json().get("accepted").get(0).get("imageId").asLong();
      HardeningIT.waitForQueue(admin);
      ApiClient reader = new ApiClient(server.port());
      reader.login("reader1", "reader-password-1");
      ApiClient none = new ApiClient(server.port());

      // Logout last: it ends the session the other calls use.
      List<String> routes = new ArrayList<>(server.endpoints());
      routes.sort(Comparator.comparing((String r) -> r.equals("POST /api/logout")).thenComparing(r -> r));
      assertThat(routes).as("routes registered").hasSizeGreaterThanOrEqualTo(20).containsAll(PUBLIC);
      List<String> report = new ArrayList<>();
      for (String route : routes) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1)
            .replace("{id}", String.valueOf(route.contains("/users/") ? victim : image));
        boolean publicRoute = PUBLIC.contains(route);
        boolean adminRoute = path.startsWith("/api/admin/");

        int anonymous = call(none, method, path).status();
        report.add(route + " none " + anonymous);
        if (publicRoute) {
          assertThat(anonymous).as(route + " without a session").isNotIn(401, 403).isLessThan(500);
        } else {
          assertThat(anonymous).as(route + " without a session").isEqualTo(401);
        }
        if (!method.equals("GET") && !publicRoute) {
          for (ApiClient client : List.of(reader, admin)) {
            assertThat(client.request(method, path, "application/json", "{}".getBytes(), false).status())
                .as(route + " without the CSRF token").isEqualTo(403);
          }
        }
        int asReader = call(reader, method, path).status();
        report.add(route + " reader " + asReader);
        if (adminRoute) {
          assertThat(asReader).as(route + " as a reader").isEqualTo(403);
        } else {
          assertThat(asReader).as(route + " as a reader").isNotIn(401, 403).isLessThan(500);
        }
        int asAdmin = call(admin, method, path).status();
        report.add(route + " admin " + asAdmin);
        assertThat(asAdmin).as(route + " as an administrator").isNotIn(401, 403).isLessThan(500);
      }
      System.out.println("route access (" + routes.size() + " routes x 3 roles):\n  " + String.join("\n  ", report));
    }
  }

  /** GET, or the method with an empty JSON object: enough to pass the access checks and be refused for content. */
  private static ApiClient.Response call(ApiClient client, String method, String path) throws Exception {
    return method.equals("GET") ? client.get(path) : client.request(method, path, "application/json", "{}".getBytes(), true);
  }
}
