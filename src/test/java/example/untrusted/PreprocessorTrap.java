package example.untrusted;

import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

import java.io.IOException;
import java.io.ObjectInputStream;

/** A harmless serializable object in a crafted {@code preprocessor.bin}: deserializing it is what must never happen. */
public final class PreprocessorTrap implements DataSetPreProcessor {
    private static final long serialVersionUID = 1L;

    @Override
    public void preProcess(DataSet dataSet) {
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        Traps.record("PreprocessorTrap deserialized");
        in.defaultReadObject();
    }
}
