package org.rheumalens.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review app's FHIR DiagnosticReport and its contained Observations, before and after a reader decides, checked
 * against the R4 structure definitions by HAPI FHIR's instance validator (offline: the core definitions and code
 * systems ship in its jars; no terminology server).
 */
class FhirValidationIT {

  private static FhirValidator validator;

  @BeforeAll
  static void validator() {
    FhirContext fhir = FhirContext.forR4();
    ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
        new CommonCodeSystemsTerminologyService(fhir), new InMemoryTerminologyServerValidationSupport(fhir),
        new SnapshotGeneratingValidationSupport(fhir));
    FhirInstanceValidator instance = new FhirInstanceValidator(support);
    validator = fhir.newValidator().registerValidatorModule(instance);
  }

  @Test
  void preliminaryAndFinalReportsAreValidR4(@TempDir Path dir) throws Exception {
    try (ReviewServer server = ReviewServer.start(ReviewServerIT.config(dir.resolve("data")), ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
      ApiClient.Response upload = client.upload(List.of(ReviewServerIT.firstKnee()), null);
      long id = upload.json().get("accepted").get(0).get("imageId").asLong();
      ReviewServerIT.waitUntilDone(client, id);

      String preliminary = client.get("/api/images/" + id + "/fhir").body();
      assertThat(preliminary).contains("\"preliminary\"", "ai-grade");
      assertValid(preliminary);
      // The validator does find what is wrong: a status outside the R4 value set, a quantity without a value.
      assertThat(errors(preliminary.replaceFirst("\"status\":\"preliminary\"", "\"status\":\"provisional\"")))
          .anySatisfy(e -> assertThat(e).contains("provisional"));

      assertThat(client.postJson("/api/images/" + id + "/decision",
          Map.of("action", "override", "grade", 3, "reason", "osteophytes clear")).status()).isEqualTo(201);
      String decided = client.get("/api/images/" + id + "/fhir").body();
      assertThat(decided).contains("\"final\"", "reader-grade");
      assertValid(decided);
    }
  }

  @Test
  void segmentationReportsAreValidR4(@TempDir Path dir) throws Exception {
    ServerConfig config = new ServerConfig(dir.resolve("data"), null, null, null, 0, List.of(TinySegmentationModel.get()),
        ReviewServerIT.ADMIN_PASSWORD, 0);
    try (ReviewServer server = ReviewServer.start(config, ReviewServerIT.quiet())) {
      ApiClient client = new ApiClient(server.port());
      assertThat(client.login("admin", ReviewServerIT.ADMIN_PASSWORD).status()).isEqualTo(200);
      ApiClient.Response upload = client.upload(List.of(TinySegmentationModel.dicomFrame(dir)), null);
      long id = upload.json().get("accepted").get(0).get("imageId").asLong();
      ReviewServerIT.waitUntilDone(client, id);

      String preliminary = client.get("/api/images/" + id + "/fhir").body();
      assertThat(preliminary).contains("\"preliminary\"", "area-gland", "\"mm2\"");
      assertValid(preliminary);
      assertThat(client.postJson("/api/images/" + id + "/decision", Map.of("action", "accept")).status()).isEqualTo(201);
      String decided = client.get("/api/images/" + id + "/fhir").body();
      assertThat(decided).contains("\"final\"", "accept gland");
      assertValid(decided);
    }
  }

  private static void assertValid(String json) {
    ValidationResult result = validator.validateWithResult(json);
    List<String> warnings = result.getMessages().stream().filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
        .map(FhirValidationIT::describe).toList();
    List<String> errors = errors(json);
    System.out.println("FHIR validation: " + errors.size() + " errors, " + warnings.size() + " warnings " + warnings);
    assertThat(errors).as(json).isEmpty();
  }

  private static List<String> errors(String json) {
    return validator.validateWithResult(json).getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(FhirValidationIT::describe).toList();
  }

  private static String describe(SingleValidationMessage m) {
    return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
  }
}
