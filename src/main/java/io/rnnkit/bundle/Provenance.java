package io.rnnkit.bundle;

import java.util.Map;

/**
 * Where a model came from: software and platform versions (floating-point results can differ across them), the
 * seed and a fingerprint of the data it was trained on, its final metrics, when and how long it trained, and
 * the git commit of its config file.
 *
 * @param dataFingerprint SHA-256 of every value and label read for training
 * @param configCommit    the last git commit of the config file when it lay in a git work tree, with
 *                        {@code -dirty} appended when the file differed from that commit; null when unknown (no
 *                        file, not in git, git absent) and in bundles of format version 1
 * @param numerics        the computing path, BLAS and CPU the model was trained with; null in bundles written
 *                        before rnnkit recorded them
 */
public record Provenance(String rnnkitVersion, String dl4jVersion, String javaVersion, String os, String arch,
                         String experiment, long seed, String dataFingerprint, int bestEpoch, double trainingSeconds,
                         String createdAt, Map<String, Map<String, Double>> metrics, String configCommit,
                         Numerics numerics) {
}
