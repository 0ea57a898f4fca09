package org.rheumalens.ml;

/**
 * What one forward pass gives for one image: the primary output's raw logits, the pooled feature vector the classifier reads (used by
 * the out-of-distribution gate) and, when asked for, the last feature maps with their gradients (Grad-CAM).
 *
 * @param logits one per grade, before temperature scaling
 * @param features globally pooled activations of the last residual stage
 * @param maps last-stage activations and gradients of the target grade's logit; null unless requested
 * @param rest the units of the task's secondary outputs ({@link OutputHeads}); null when it has none
 */
public record NetworkOutput(float[] logits, float[] features, FeatureMaps maps, float[] rest) {}
