package example.untrusted;

import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializerStrategy;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerType;

import java.io.InputStream;
import java.io.OutputStream;

/** Named by a crafted normalizer's CUSTOM header, which ND4J's reader would load and construct. */
@SuppressWarnings("rawtypes") // ND4J's Normalizer is generic; a strategy names it raw
public final class NormalizerTrap implements NormalizerSerializerStrategy<Normalizer> {
    static {
        Traps.record("NormalizerTrap initialized");
    }

    public NormalizerTrap() {
        Traps.record("NormalizerTrap constructed");
    }

    @Override
    public void write(Normalizer normalizer, OutputStream stream) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Normalizer restore(InputStream stream) {
        Traps.record("NormalizerTrap restored");
        return null;
    }

    @Override
    public NormalizerType getSupportedType() {
        return NormalizerType.CUSTOM;
    }
}
