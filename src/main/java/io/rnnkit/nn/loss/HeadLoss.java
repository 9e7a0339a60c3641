package io.rnnkit.nn.loss;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;

/**
 * What a head's loss shares with DL4J's contract, around the two things a head defines on its activated output:
 * each column's score ({@link #scores}) and the score's gradient ({@link #outputGradient}). Here: the shape check,
 * the activation, the masks, the chain rule through the activation; a row's score is the sum of its columns',
 * {@code average} divides by the rows.
 */
abstract class HeadLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** Per row and output column, the score of the activated output {@code out} against {@code labels}, unmasked. */
    abstract INDArray scores(INDArray labels, INDArray out);

    /** dL/d{@code out}, unmasked. */
    abstract INDArray outputGradient(INDArray labels, INDArray out);

    /** Refuses an output width the head cannot read; by default any. */
    void checkWidth(INDArray preOutput) {
    }

    /** The per-output mask the output gradient takes, given the loss's; by default the same. */
    INDArray gradientMask(INDArray mask) {
        return mask;
    }

    private INDArray activated(INDArray labels, INDArray preOutput, IActivation activationFn) {
        if (!labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException("labels " + Arrays.toString(labels.shape()) + " and output " + Arrays.toString(preOutput.shape())
                    + " differ in shape; a grouped head's labels repeat each target over its group (HeadLabels.repeat)");
        }
        checkWidth(preOutput);
        return activationFn.getActivation(preOutput.dup(), true);
    }

    private INDArray scoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activated(labels, preOutput, activationFn);
        INDArray score = scores(labels.castTo(out.dataType()), out);
        if (mask != null) {
            LossUtil.applyMask(score, mask);
        }
        return score;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double score = scoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? score / labels.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreArray(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    /** dL/dz from dL/da: masked per output before the activation's backprop when the mask is per output, after it always. */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray out = activated(labels, preOutput, activationFn);
        INDArray dLda = outputGradient(labels.castTo(out.dataType()), out);
        if (mask != null && LossUtil.isPerOutputMasking(dLda, mask)) {
            mask = gradientMask(mask);
            LossUtil.applyMask(dLda, mask);
        }
        INDArray gradient = activationFn.backprop(preOutput.dup(), dLda).getFirst();
        if (mask != null) {
            LossUtil.applyMask(gradient, mask);
        }
        return gradient;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }
}
