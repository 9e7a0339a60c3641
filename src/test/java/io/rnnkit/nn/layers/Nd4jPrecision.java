package io.rnnkit.nn.layers;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets ND4J's default data type for each test and restores the previous one afterwards, so tests
 * elsewhere in the same JVM keep theirs. Use: {@code @RegisterExtension static final Nd4jPrecision
 * PRECISION = new Nd4jPrecision(DataType.DOUBLE);}
 */
public final class Nd4jPrecision implements BeforeEachCallback, AfterEachCallback {

    private final DataType type;
    private DataType previous;
    private DataType previousFloat;

    public Nd4jPrecision(DataType type) {
        this.type = type;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        previous = Nd4j.dataType();
        previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(type, type);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Nd4j.setDefaultDataTypes(previous, previousFloat);
    }
}
