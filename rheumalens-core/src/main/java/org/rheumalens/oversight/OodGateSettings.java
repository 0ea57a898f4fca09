package org.rheumalens.oversight;

/**
 * The fitted out-of-distribution gate of a model: which files hold its statistics and where it cuts.
 *
 * @param method "feature-mahalanobis": class-conditional Gaussians over the pooled features, shared shrunk covariance
 * @param filePrefix the gate's .npy files in the model folder start with this
 * @param threshold an input scoring above this is flagged
 * @param valQuantile the val score quantile the threshold was set at
 * @param valPassRate share of val images passing (in-sample)
 * @param valPassRateCrossFitted share passing when each half of val is cut at the other half's quantile
 * @param trainImages training images the Gaussians were fitted on
 */
public record OodGateSettings(String method, String filePrefix, double threshold, double valQuantile, double valPassRate,
    double valPassRateCrossFitted, int trainImages) {}
