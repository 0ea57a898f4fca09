/**
 * Segmentation as a capability of its own: a U-Net that labels every pixel of a grey image with a class, trained and
 * used on planes and masks in memory (no files, no task definitions; those wrap it from outside).
 *
 * <p>Training: {@link org.rheumalens.segmentation.SegmentationSample}s (a {@link org.rheumalens.preprocess.Plane},
 * a {@link org.rheumalens.segmentation.LabelMask} with 0 for the background, an optional
 * {@link org.rheumalens.segmentation.PixelSpacing}) go to a {@link org.rheumalens.segmentation.SegmentationTrainer}
 * built from a {@link org.rheumalens.segmentation.SegmentationConfig}; it writes {@code segmentation-0000.params} and
 * {@code segmentation-card.json}. Inference: {@link org.rheumalens.segmentation.SegmentationModel#load} that folder
 * and {@code predict} planes of the card's input size into {@link org.rheumalens.segmentation.SegmentationResult}s;
 * {@link org.rheumalens.segmentation.SegmentationOutputs} writes them as PNG and .npy files. Evaluation:
 * {@link org.rheumalens.segmentation.SegmentationMetrics} (Dice, IoU, HD95) and
 * {@link org.rheumalens.segmentation.StructureSize} (area, maximal width).
 */
package org.rheumalens.segmentation;
