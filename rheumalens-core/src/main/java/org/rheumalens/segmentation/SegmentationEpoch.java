package org.rheumalens.segmentation;

import java.util.Map;

/**
 * One epoch of segmentation training as the card records it.
 *
 * @param valDice each structure class's mean Dice on val, keyed by class name
 */
public record SegmentationEpoch(
    int epoch, double trainLoss, double valMeanDice, Map<String, Double> valDice, double learningRate, double seconds) {}
