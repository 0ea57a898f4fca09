package org.rheumalens.ml;

/** One epoch of training as logged in the checkpoint and model card. */
public record EpochRecord(
    int epoch, double trainLoss, double valAccuracy, double valKappa, double valMae, double seconds, double learningRate) {}
