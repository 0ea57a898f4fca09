package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rheumalens.ml.ModelLocation;

/**
 * Issue 18's "a 10000x10000 image costs 10 s to upload, without any rate limit": each account's uploads draw on a
 * decoding allowance, and an account that has used it is refused (429 with Retry-After) before its upload is read,
 * while other accounts go on uploading.
 */
class UploadAllowanceIT {

  @Test
  void anAccountOverItsDecodingAllowanceIsRefusedAndOthersAreNot(@TempDir Path dir) throws Exception {
    // 2 megapixels a minute: one 1,800 x 1,200 image (2.16 MP) uses it all.
    ServerConfig config = new ServerConfig(dir.resolve("data"), null, null, null, 0, ModelLocation.bundled("knee-kl"),
        ReviewServerIT.ADMIN_PASSWORD, 0).withIntake(new ServerConfig.Intake(1000, 0, 2));
    Path large = dir.resolve("large-knee.png");
    BufferedImage image = new BufferedImage(1800, 1200, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 1200; y++) {
      for (int x = 0; x < 1800; x++) {
        image.getRaster().setSample(x, y, 0, (x / 7 + y / 5) % 256);
      }
    }
    ImageIO.write(image, "png", large.toFile());
    try (ReviewServer server = ReviewServer.start(config, ReviewServerIT.quiet())) {
      ApiClient admin = new ApiClient(server.port());
      admin.login("admin", ReviewServerIT.ADMIN_PASSWORD);
      assertThat(admin.postJson("/api/admin/users", Map.of("username", "reader1", "displayName", "Dr Reader",
          "role", "reader", "password", "reader-password-1")).status()).isEqualTo(201);

      ApiClient.Response first = admin.upload(List.of(large), null);
      assertThat(first.status()).as(first.body()).isEqualTo(202);
      ApiClient.Response refused = admin.upload(List.of(ReviewServerIT.firstKnee()), null);
      assertThat(refused.status()).as(refused.body()).isEqualTo(429);
      assertThat(refused.json().get("error").asText()).contains("upload allowance").contains("2 megapixels");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
      assertThat(admin.get("/api/worklist").json().get("items")).as("nothing stored from the refused upload").hasSize(1);

      ApiClient reader = new ApiClient(server.port());
      assertThat(reader.login("reader1", "reader-password-1").status()).isEqualTo(200);
      ApiClient.Response other = reader.upload(List.of(ReviewServerIT.firstKnee()), null);
      assertThat(other.status()).as("another account still uploads: %s", other.body()).isEqualTo(202);
    }
  }
}
