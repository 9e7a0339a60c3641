import java.io.File;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run by CellSerializationTest with Java's source launcher in a fresh JVM whose classpath holds only
 * the main classes and the runtime dependencies: restores a saved network and writes its output.
 * Arguments: model.zip input.bin output.bin
 */
public class LoadAndPredict {
    public static void main(String[] args) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(args[0]), true);
        INDArray input = Nd4j.readBinary(new File(args[1]));
        Nd4j.saveBinary(net.output(input), new File(args[2]));
        System.out.println("layer 0: " + net.getLayer(0).getClass().getName());
    }
}
