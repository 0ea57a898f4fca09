package org.rheumalens.bench;

/**
 * What the PyTorch reference measured, or why it did not run ({@code status} is "measured", "off" or
 * "unavailable: cause"; the numbers are null unless measured).
 *
 * @param status whether the reference ran
 * @param python the interpreter used
 * @param torchVersion PyTorch's version string
 * @param threads PyTorch's intra-op threads
 * @param modelMsMedian batch-1 inference, model alone, warm
 * @param trainStepMsMedian one training step at the bench's batch size
 */
public record TorchTimings(
    String status, String python, String torchVersion, Integer threads, Double modelMsMedian, Double trainStepMsMedian) {

  public static TorchTimings off() {
    return new TorchTimings("off", null, null, null, null, null);
  }

  public static TorchTimings unavailable(String cause) {
    return new TorchTimings("unavailable: " + cause, null, null, null, null, null);
  }

  public boolean measured() {
    return modelMsMedian != null;
  }
}
