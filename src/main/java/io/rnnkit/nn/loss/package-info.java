/**
 * Probabilistic output heads for forecasts: the activation that shapes a dense layer's output into a distribution's
 * parameters, and the loss that scores a target against them. Each head lays its outputs out in groups, one group
 * per target value (a horizon step), so a head works the same under an {@code OutputLayer} (one row per window) and
 * an {@code RnnOutputLayer} (one row per step), and the labels are each target repeated once per column of its group
 * ({@link HeadLabels}).
 */
package io.rnnkit.nn.loss;
