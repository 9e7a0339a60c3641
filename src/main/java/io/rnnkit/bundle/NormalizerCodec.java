package io.rnnkit.bundle;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The fitted normalizer's entry, {@link BundleFormat#NORMALIZER}, in ND4J's {@code NormalizerSerializer} layout
 * (so DL4J's tools still read it): a header ({@code "NORMALIZER"}, version 1, the type), then the type's fields.
 * Written by ND4J; read by rnnkit, which knows the two types it writes (standardize, min-max) and builds them
 * itself. ND4J's own reader would, for a {@code CUSTOM} header, load and construct a class named in the file.
 */
final class NormalizerCodec {
    private NormalizerCodec() {
    }

    static byte[] write(DataNormalization normalizer) {
        if (!(normalizer instanceof NormalizerStandardize) && !(normalizer instanceof NormalizerMinMaxScaler)) {
            throw new IllegalArgumentException("rnnkit saves standardize and min-max normalizers only, not " + normalizer.getClass().getSimpleName());
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            NormalizerSerializer.getDefault().write(normalizer, bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The normalizer of {@code bytes}; {@code what} names the entry in messages. */
    static DataNormalization read(byte[] bytes, String what) {
        BinaryReader in = new BinaryReader(bytes, what);
        if (!"NORMALIZER".equals(in.readTag()) || in.readInt() != 1) {
            throw new BundleIntegrityException(what + ": not a normalizer in ND4J's layout, version 1");
        }
        String type = in.readTag();
        DataNormalization normalizer = switch (type) {
            case "STANDARDIZE" -> {
                boolean labels = in.readBoolean();
                INDArray[] features = pair(in, what);
                NormalizerStandardize n = new NormalizerStandardize(features[0], features[1]);
                n.fitLabel(labels);
                if (labels) {
                    INDArray[] targets = pair(in, what);
                    n.setLabelStats(targets[0], targets[1]);
                }
                yield n;
            }
            case "MIN_MAX" -> {
                boolean labels = in.readBoolean();
                NormalizerMinMaxScaler n = new NormalizerMinMaxScaler(in.readDouble(), in.readDouble());
                n.fitLabel(labels);
                INDArray[] features = pair(in, what);
                n.setFeatureStats(features[0], features[1]);
                if (labels) {
                    INDArray[] targets = pair(in, what);
                    n.setLabelStats(targets[0], targets[1]);
                }
                yield n;
            }
            // CUSTOM would name a class to load: never read from a file
            default -> throw new BundleIntegrityException(what + ": a normalizer of type " + Printable.quoted(type)
                    + "; rnnkit writes and reads standardize and min-max normalizers only");
        };
        in.end();
        return normalizer;
    }

    /** Two statistics of one set of columns (mean and deviation, or minimum and maximum): equally long. */
    private static INDArray[] pair(BinaryReader in, String what) {
        INDArray a = in.readArray();
        INDArray b = in.readArray();
        if (a.length() != b.length()) {
            throw new BundleIntegrityException(what + ": statistics of " + a.length() + " and " + b.length() + " columns");
        }
        return new INDArray[]{a, b};
    }

    /** How many features the normalizer scales (its feature statistics' length). */
    static long features(DataNormalization normalizer) {
        INDArray stats = normalizer instanceof NormalizerStandardize s ? s.getMean() : ((NormalizerMinMaxScaler) normalizer).getMin();
        return stats.length();
    }
}
