package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A reader's session in real headless Chromium (Debian's chromium and chromium-driver): log in, upload a knee image,
 * see it graded, open the case, toggle the heatmap, override the grade with a reason, see the audit entry. The case
 * view is kept as a screenshot in target/screenshots.
 */
class BrowserIT {

  static final File CHROMIUM = new File("/usr/bin/chromium");
  static final File DRIVER = new File("/usr/bin/chromedriver");

  @Test
  void readerReviewsAnUploadedKnee(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(),
        "Debian chromium and chromium-driver are not installed (./rheumalens test installs them)");
    Path knee = ReviewServerIT.firstKnee();
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
        wait.ignoring(StaleElementReferenceException.class);
        logIn(browser, wait, server.port());

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-files"))).sendKeys(knee.toRealPath().toString());
        browser.findElement(By.id("upload-button")).click();
        // The worklist re-renders while it polls the AI queue: an element found a moment ago may be gone, so reads and
        // clicks are retried until they land on the current table.
        String aiGrade = wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr td.ai-grade")).stream()
            .map(WebElement::getText).filter(text -> text.matches("KL[0-4]")).findFirst().orElse(null));
        wait.until(d -> {
          d.findElement(By.cssSelector("#worklist tbody tr")).click();
          return true;
        });

        wait.until(ExpectedConditions.textMatches(By.id("ai-grade"), java.util.regex.Pattern.compile("KL[0-4]")));
        assertThat(browser.findElement(By.id("ai-grade")).getText()).isEqualTo(aiGrade);
        assertThat(browser.findElement(By.id("measurements")).getText())
            .matches("minimum joint space width \\([LR] knee\\): medial [0-9.]+ px, lateral [0-9.]+ px");
        WebElement heatmap = browser.findElement(By.id("heatmap"));
        assertThat(heatmap.isDisplayed()).isTrue();
        browser.findElement(By.tagName("body")).sendKeys("h");
        assertThat(heatmap.isDisplayed()).as("heatmap hidden by the h key").isFalse();
        browser.findElement(By.id("heatmap-toggle")).click();
        assertThat(heatmap.isDisplayed()).isTrue();
        screenshot(browser, "case-view.png");

        int overrideTo = aiGrade.equals("KL4") ? 3 : Integer.parseInt(aiGrade.substring(2)) + 1;
        new Select(browser.findElement(By.id("override-grade"))).selectByValue(Integer.toString(overrideTo));
        browser.findElement(By.id("override-reason")).sendKeys("joint space narrower than the AI judged");
        browser.findElement(By.id("override")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("decisions"), "override KL" + overrideTo));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "decision"));
        assertThat(browser.findElement(By.id("audit")).getText()).contains("joint space narrower");
        screenshot(browser, "case-view-decided.png");
        String pdfType = (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(document.getElementById('report-pdf').href).then(r => r.arrayBuffer().then(b =>"
                + " done(r.headers.get('Content-Type') + ' ' + new TextDecoder().decode(b.slice(0, 5)))));");
        assertThat(pdfType).as("the case page's PDF link").isEqualTo("application/pdf %PDF-");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void readerPicksTheTaskOfTheWorklistAndUploadsForIt(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(),
        "Debian chromium and chromium-driver are not installed (./rheumalens test installs them)");
    Path frame = dir.resolve("us-frame.png");
    javax.imageio.ImageIO.write(TinyUltrasoundModel.frame(1, false, new java.util.SplittableRandom(11)), "png", frame.toFile());
    ServerConfig config = new ServerConfig(dir.resolve("data"), null, null, null, 0, MultiTaskServerIT.models(),
        ReviewServerIT.ADMIN_PASSWORD, 0);
    try (ReviewServer server = ReviewServer.start(config, ReviewServerIT.quiet())) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
        wait.ignoring(StaleElementReferenceException.class);
        logIn(browser, wait, server.port());
        WebElement taskSelect = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-task")));
        Select tasks = new Select(taskSelect);
        assertThat(tasks.getOptions()).hasSize(2);
        assertThat(tasks.getFirstSelectedOption().getAttribute("value")).isEqualTo("knee-kl");
        tasks.selectByValue(TinyUltrasoundModel.TASK);
        // The grade filter follows the task: its two grades, not the knee's five.
        wait.until(d -> new Select(d.findElement(By.id("f-grade"))).getOptions().size() == 3);

        browser.findElement(By.id("upload-files")).sendKeys(frame.toRealPath().toString());
        browser.findElement(By.id("upload-button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr td.ai-grade")).stream()
            .map(WebElement::getText).anyMatch(text -> text.matches("none|present")));
        wait.until(d -> {
          d.findElement(By.cssSelector("#worklist tbody tr")).click();
          return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task"), "Synovitis on ultrasound"));
        assertThat(browser.findElement(By.id("task")).getText()).endsWith("none, present");
        assertThat(new Select(browser.findElement(By.id("override-grade"))).getOptions()).hasSize(2);
        wait.until(d -> !d.findElements(By.id("triage")).isEmpty());
        assertThat(browser.findElements(By.id("measurements"))).as("no joint space line for an ultrasound task").isEmpty();
        screenshot(browser, "case-view-ultrasound.png");
        browser.findElement(By.id("override-reason")).sendKeys("effusion seen");
        browser.findElement(By.id("override")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("decisions"), "override present"));

        // Agreement is per task: the ultrasound decision counts there, not for the knee.
        browser.get("http://localhost:" + server.port() + "/admin.html");
        Select agreementTask = new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("agreement-task"))));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agreement"), "No decided cases"));
        agreementTask.selectByValue(TinyUltrasoundModel.TASK);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agreement"), "1 decided cases"));
        assertThat(browser.findElement(By.id("confusion")).getText()).contains("none").contains("present");
      } finally {
        browser.quit();
      }
    }
  }

  /** After login the page goes to ?next= only when it stays on this site: "//evil.example" is not a local path. */
  @Test
  void loginDoesNotRedirectToAnotherSite(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(),
        "Debian chromium and chromium-driver are not installed (./rheumalens test installs them)");
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        String local = "http://localhost:" + server.port();
        for (String next : new String[] {"//evil.example/phish", "/\\evil.example/phish", "https://evil.example/"}) {
          browser.manage().deleteAllCookies();
          browser.get(local + "/index.html?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
          wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
          browser.findElement(By.id("password")).sendKeys(ReviewServerIT.ADMIN_PASSWORD);
          browser.findElement(By.id("login-button")).click();
          wait.until(d -> d.getCurrentUrl().startsWith(local) ? d.findElement(By.id("app")).isDisplayed() : true);
          assertThat(browser.getCurrentUrl()).as("after logging in with next=" + next).startsWith(local + "/index.html");
        }
        browser.manage().deleteAllCookies();
        browser.get(local + "/index.html?next=%2Fadmin.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(ReviewServerIT.ADMIN_PASSWORD);
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.urlToBe(local + "/admin.html"));
      } finally {
        browser.quit();
      }
    }
  }

  static void logIn(WebDriver browser, WebDriverWait wait, int port) {
    browser.get("http://localhost:" + port + "/index.html");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
    browser.findElement(By.id("password")).sendKeys(ReviewServerIT.ADMIN_PASSWORD);
    browser.findElement(By.id("login-button")).click();
    wait.until(d -> d.findElement(By.id("app")).isDisplayed() || !d.findElement(By.id("login-error")).getText().isEmpty());
    assertThat(browser.findElement(By.id("login-error")).getText()).as("login error").isEmpty();
  }

  static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  static void screenshot(WebDriver browser, String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
