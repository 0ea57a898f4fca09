package org.rheumalens.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.rheumalens.sampling.Permutation;

/**
 * A seeded hold-out split by patient: all images of one patient land on the same side, so a model is never selected
 * on a patient it trained on. Patients are taken in a seeded random order; one joins the held-out side while that
 * keeps each class within its share (stratified), until the side holds its fraction of the images.
 */
public final class PatientSplit {

  /** The two sides, with how many patients each holds. */
  public record Split(List<ManifestRow> train, List<ManifestRow> heldOut, int trainPatients, int heldOutPatients) {}

  private PatientSplit() {}

  public static Split holdOut(List<ManifestRow> rows, double fraction, long seed, ToIntFunction<ManifestRow> label,
      int classes) {
    Map<String, List<ManifestRow>> byPatient = new LinkedHashMap<>();
    rows.forEach(r -> byPatient.computeIfAbsent(r.patientKey(), k -> new ArrayList<>()).add(r));
    List<List<ManifestRow>> patients = new ArrayList<>(byPatient.values());
    int[] order = Permutation.shuffled(patients.size(), new SplittableRandom(seed));
    int[] total = new int[classes];
    rows.forEach(r -> total[label.applyAsInt(r)]++);
    int[] quota = new int[classes];
    for (int k = 0; k < classes; k++) {
      quota[k] = (int) Math.ceil(fraction * total[k]);
    }
    int target = (int) Math.round(fraction * rows.size());
    int[] taken = new int[classes];
    int heldOutCount = 0;
    List<ManifestRow> heldOut = new ArrayList<>();
    List<ManifestRow> train = new ArrayList<>();
    int heldOutPatients = 0;
    for (int index : order) {
      List<ManifestRow> patient = patients.get(index);
      int[] counts = new int[classes];
      patient.forEach(r -> counts[label.applyAsInt(r)]++);
      // A class may overshoot its share by one image, so patients with both knees (say) can still be held out.
      boolean fits = heldOutCount < target;
      for (int k = 0; k < classes && fits; k++) {
        fits = counts[k] == 0 || taken[k] + counts[k] <= quota[k] + 1;
      }
      if (fits) {
        heldOut.addAll(patient);
        heldOutCount += patient.size();
        heldOutPatients++;
        for (int k = 0; k < classes; k++) {
          taken[k] += counts[k];
        }
      } else {
        train.addAll(patient);
      }
    }
    if (heldOut.isEmpty() || train.isEmpty()) {
      throw new IllegalArgumentException("cannot hold out " + Math.round(fraction * 100) + "% of " + rows.size()
          + " images from " + patients.size() + " patient(s) for selection; give --val a manifest of its own");
    }
    return new Split(train, heldOut, patients.size() - heldOutPatients, heldOutPatients);
  }
}
