package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.rheumalens.ml.ModelLocation;

/**
 * A segmentation model served beside the knee model: a reader uploads a SYNTHETIC ultrasound frame (DICOM, 0.15 mm
 * pixels) for the segmentation task in real headless Chromium, the AI worker outlines it, the case shows the mask
 * overlay, the structures' sizes in mm and the uncertainty, the reader accepts the outline, and the decision, the
 * audit trail, the PDF (with the overlay in it) and the FHIR report follow.
 */
class SegmentationReviewIT {

  private static final String TASK = TinySegmentationModel.TASK;

  @Test
  void readerSeesTheOutlineAndItsSizesAndAcceptsIt(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(BrowserIT.CHROMIUM.canExecute() && BrowserIT.DRIVER.canExecute(),
        "Debian chromium and chromium-driver are not installed (./rheumalens test installs them)");
    Path frame = TinySegmentationModel.dicomFrame(dir);
    ServerConfig config = new ServerConfig(dir.resolve("data"), null, null, null, 0,
        List.of(ModelLocation.bundled("knee-kl"), TinySegmentationModel.get()), ReviewServerIT.ADMIN_PASSWORD, 0);
    try (ReviewServer server = ReviewServer.start(config, ReviewServerIT.quiet())) {
      WebDriver browser = BrowserIT.chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
        wait.ignoring(StaleElementReferenceException.class);
        BrowserIT.logIn(browser, wait, server.port());
        new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-task")))).selectByValue(TASK);
        wait.until(d -> !d.findElement(By.id("f-grade")).isDisplayed());
        assertThat(browser.findElement(By.id("ai-column")).getText()).isEqualTo("AI outline");

        browser.findElement(By.id("upload-files")).sendKeys(frame.toRealPath().toString());
        browser.findElement(By.id("upload-button")).click();
        String summary = wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr td.ai-grade")).stream()
            .map(WebElement::getText).filter(t -> t.matches("gland [0-9.]+ mm², node [0-9.]+ mm²")).findFirst().orElse(null));
        wait.until(d -> {
          d.findElement(By.cssSelector("#worklist tbody tr")).click();
          return true;
        });

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task"), "Gland outline"));
        Number overlayWidth = wait.until(d -> (Number) ((JavascriptExecutor) d).executeScript(
            "const o = document.getElementById('overlay'); return o && o.complete && o.naturalWidth > 0 ? o.naturalWidth : null;"));
        String sizes = browser.findElement(By.id("structures")).getText();
        assertThat(sizes).matches("gland [0-9.]+ mm², width [0-9.]+ mm; node [0-9.]+ mm², width [0-9.]+ mm");
        assertThat(sizes).startsWith(summary.substring(0, summary.indexOf(',')));
        assertThat(browser.findElement(By.id("outline-uncertainty")).getText())
            .matches("uncertainty \\(mean entropy inside the structures, 0–1\\): 0\\.\\d{3}");
        assertThat(browser.findElement(By.id("triage")).getText()).matches("needs review: .+|auto-accept \\(mean entropy under the val limit\\)");
        assertThat(new Select(browser.findElement(By.id("override-grade"))).getOptions()).extracting(WebElement::getText)
            .containsExactly("all structures", "gland", "node");
        BrowserIT.screenshot(browser, "case-view-segmentation.png");

        browser.findElement(By.id("accept")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("decisions"), "accept gland outline"));
        assertThat(browser.findElement(By.id("decisions")).getText()).contains("accept node outline");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "decision"));
        assertThat(browser.findElement(By.id("audit")).getText()).contains("view_overlay").contains("accept outline of gland, node");

        ApiClient client = new ApiClient(server.port());
        client.login("admin", ReviewServerIT.ADMIN_PASSWORD);
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*id=", ""));
        JsonNode view = client.get("/api/images/" + id).json();
        assertThat(view.get("task").get("segmentation").asBoolean()).isTrue();
        assertThat(view.get("result").get("outline").get("structures").get(0).get("areaMm2").asDouble()).isPositive();
        assertThat(view.get("result").get("uncertainty").asDouble()).isBetween(0.0, 1.0);
        List<String> stored = server.database().jdbi().withHandle(h -> h.createQuery(
            "SELECT structure || ' ' || action FROM outline_decisions WHERE image_id = ? ORDER BY id").bind(0, id)
            .mapTo(String.class).list());
        assertThat(stored).containsExactly("gland accept", "node accept");
        JsonNode row = client.get("/api/worklist?task=" + TASK + "&status=decided").json().get("items").get(0);
        assertThat(row.get("decision").asText()).isEqualTo("accept");
        assertThat(row.get("decidedBy").asText()).isEqualTo("Administrator");

        // Bad verdicts are refused with the cause.
        assertThat(client.postJson("/api/images/" + id + "/decision", Map.of("action", "reject")).json()
            .get("error").asText()).contains("reason");
        ApiClient.Response wrong = client.postJson("/api/images/" + id + "/decision", Map.of("action", "accept", "structure", "bone"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").asText()).contains("gland, node");

        ApiClient.Response overlay = client.get("/api/images/" + id + "/overlay.png");
        assertThat(overlay.status()).isEqualTo(200);
        assertThat(overlay.header("Cache-Control")).isEqualTo("no-store");
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(overlay.bytes()));
        assertThat(picture.getWidth()).isEqualTo(overlayWidth.intValue());

        byte[] pdf = client.get("/api/images/" + id + "/report.pdf").bytes();
        assertThat(HardeningIT.pdfText(pdf)).contains("accepted the gland outline").contains("accepted the node outline")
            .containsPattern("gland [0-9.]+ mm., width [0-9.]+ mm").doesNotContain("PRELIMINARY");
        assertThat(imageSizes(pdf)).as("the overlay is the PDF's picture")
            .contains(picture.getWidth() + "x" + picture.getHeight());
        // FhirValidationIT checks these reports against R4.
        JsonNode fhir = client.get("/api/images/" + id + "/fhir").json();
        assertThat(fhir.get("status").asText()).isEqualTo("final");
        assertThat(fhir.toString()).contains("\"id\":\"area-gland\"").contains("\"code\":\"mm2\"");

        // Agreement for outlines: how often readers accepted each structure's outline, on the admin page.
        browser.get("http://localhost:" + server.port() + "/admin.html");
        new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("agreement-task")))).selectByValue(TASK);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agreement"),
            "1 decided cases: gland outline accepted 1 of 1 (100%), node outline accepted 1 of 1 (100%)."));

        // A later rejection of one structure, with its reason, supersedes its acceptance; the other stands.
        ApiClient.Response reject = client.postJson("/api/images/" + id + "/decision",
            Map.of("action", "reject", "structure", "node", "reason", "node outline misses its lower edge"));
        assertThat(reject.status()).as(reject.body()).isEqualTo(201);
        JsonNode outlines = client.get("/api/admin/agreement?task=" + TASK).json().get("outlines");
        assertThat(outlines.get("node").get("reject").asInt()).isEqualTo(1);
        assertThat(outlines.get("node").has("accept")).isFalse();
        assertThat(outlines.get("gland").get("accept").asInt()).isEqualTo(1);
        // The PDF wraps lines at its column's width.
        assertThat(HardeningIT.pdfText(client.get("/api/images/" + id + "/report.pdf").bytes()).replaceAll("\\s+", " "))
            .contains("accepted the gland outline").contains("rejected the node outline. Reason: node outline misses");
      } finally {
        browser.quit();
      }
    }
  }

  private static List<String> imageSizes(byte[] pdf) throws Exception {
    List<String> sizes = new ArrayList<>();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      var resources = doc.getPage(0).getResources();
      for (var name : resources.getXObjectNames()) {
        if (resources.getXObject(name) instanceof PDImageXObject image) {
          sizes.add(image.getWidth() + "x" + image.getHeight());
        }
      }
    }
    return sizes;
  }
}
