package org.rheumalens.bench;

/**
 * What the Java (DJL) side of a bench run measured.
 *
 * @param grade one file graded end to end (decode, preprocess, model, calibration, OOD gate, MC-dropout uncertainty,
 *     triage), warm
 * @param gradePlain the same without the oversight (calibrated grade only)
 * @param gradeGradCam graded with oversight plus a Grad-CAM heatmap
 * @param gradeOcclusion graded with oversight plus an occlusion-sensitivity heatmap
 * @param model the model alone on a prepared plane, batch 1, warm
 * @param batchImagesPerS files per second graded in batches, end to end
 * @param trainStep one training step (forward, loss, backward, optimizer) at the settings' batch size
 * @param trainImagesPerS training images per second over the timed steps
 */
public record JavaTimings(
    Latency grade, Latency gradePlain, Latency gradeGradCam, Latency gradeOcclusion, Latency model, double batchImagesPerS, Latency trainStep, double trainImagesPerS) {}
