package org.rheumalens.tasks;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a DICOM image's own Modality (0008,0060) fits a task's modality. A CT slice or an MR image handed to a
 * radiograph grader is the wrong kind of image, whatever its pixels look like; the out-of-distribution gate would have
 * to catch it by its looks, and a small slice can look knee-like enough to pass. Modalities that say nothing about the
 * kind of image (OT, SC, plain image files) pass and are left to the gate.
 */
public final class ModalityCheck {

  /** DICOM modalities by the task modality they belong to; anything not listed is not judged. */
  private static final Map<String, String> FAMILY = Map.ofEntries(
      Map.entry("CR", "XR"), Map.entry("DX", "XR"), Map.entry("RG", "XR"), Map.entry("DR", "XR"),
      Map.entry("RF", "XR"), Map.entry("XA", "XR"), Map.entry("MG", "XR"), Map.entry("PX", "XR"),
      Map.entry("IO", "XR"),
      Map.entry("CT", "CT"),
      Map.entry("MR", "MR"),
      Map.entry("US", "US"), Map.entry("IVUS", "US"),
      Map.entry("NM", "NM"), Map.entry("PT", "NM"));

  private static final Map<String, String> NAMES = Map.of(
      "XR", "radiographs (CR, DX)", "CT", "computed tomography", "MR", "magnetic resonance",
      "US", "ultrasound", "NM", "nuclear medicine");

  private ModalityCheck() {}

  /**
   * Why an image of DICOM modality {@code dicomModality} must not be graded by a task of modality {@code taskModality},
   * or empty when it may be (same family, or a modality that does not say).
   */
  public static Optional<String> refusal(String dicomModality, String taskModality, String taskId) {
    if (dicomModality == null || taskModality == null) {
      return Optional.empty();
    }
    String family = FAMILY.get(dicomModality.trim().toUpperCase(java.util.Locale.ROOT));
    if (family == null || family.equals(taskModality)) {
      return Optional.empty();
    }
    return Optional.of("wrong modality: the DICOM file is " + dicomModality.trim() + " (" + NAMES.get(family)
        + "); model " + taskId + " grades " + NAMES.getOrDefault(taskModality, taskModality));
  }
}
