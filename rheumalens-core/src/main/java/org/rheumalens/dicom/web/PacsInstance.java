package org.rheumalens.dicom.web;

import java.util.Map;
import java.util.Set;

/** One instance a PACS holds, as QIDO-RS lists it: where it is and what it is. */
public record PacsInstance(String study, String series, String sop, String sopClass, String modality) {

  /** DICOM Modality values of each task modality (XR, US, MR, CT): what is worth fetching for a task. */
  private static final Map<String, Set<String>> MODALITIES = Map.of(
      "XR", Set.of("CR", "DX", "RG", "DR", "PX"), "US", Set.of("US"), "MR", Set.of("MR"), "CT", Set.of("CT"));
  /** Structured reports (RheumaLens' own among them): never an image to grade or import. */
  private static final String SR_CLASSES = "1.2.840.10008.5.1.4.1.1.88.";

  /** The DICOM modalities that carry images of a task's modality; none for an unknown one. */
  public static Set<String> dicomModalities(String taskModality) {
    return MODALITIES.getOrDefault(taskModality, Set.of());
  }

  /** Whether this is a structured report rather than an image. */
  public boolean isReport() {
    return sopClass.startsWith(SR_CLASSES);
  }
}
