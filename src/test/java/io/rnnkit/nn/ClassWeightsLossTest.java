package io.rnnkit.nn;

import io.rnnkit.config.Yaml;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Class weights scale each step's cross-entropy term by the weight of the step's true class. */
class ClassWeightsLossTest {
    private static MultiLayerNetwork tagger(double[] weights) {
        return NetworkBuilder.build(Yaml.load(Yaml.MINIMAL, "task.topology=many-to-many", "data.generator.kind=shift-detection").config(),
                2, null, 2, weights);
    }

    @Test
    void aStepOfAClassWeighingThreeCountsThreeTimes() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 2, 5);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(1);
        DataSet allOfClass1 = new DataSet(x, labels);
        MultiLayerNetwork plain = tagger(null);
        MultiLayerNetwork weighted = tagger(new double[]{1, 3});
        weighted.setParams(plain.params().dup());
        assertEquals(3 * plain.score(allOfClass1), weighted.score(allOfClass1), 1e-5 * plain.score(allOfClass1));
        MultiLayerNetwork class0Only = tagger(new double[]{3, 1});
        class0Only.setParams(plain.params().dup());
        assertEquals(plain.score(allOfClass1), class0Only.score(allOfClass1), 1e-6 * plain.score(allOfClass1), "a weight on another class");
    }
}
