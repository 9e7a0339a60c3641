package io.rnnkit.bundle;

import java.util.Map;

/**
 * Where a model came from: software and platform versions (results can differ across them), the seed and
 * a fingerprint of the data it was trained on, its final metrics and when and how long it trained.
 */
public record Provenance(String rnnkitVersion, String dl4jVersion, String javaVersion, String os, String arch,
                         String experiment, long seed, String dataFingerprint, int bestEpoch, double trainingSeconds,
                         String createdAt, Map<String, Map<String, Double>> metrics) {
}
