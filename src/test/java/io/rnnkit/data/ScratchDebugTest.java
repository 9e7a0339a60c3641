package io.rnnkit.data;

import io.rnnkit.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.util.List;

class ScratchDebugTest {
    @TempDir
    Path dir;

    @Test
    void debug() {
        String name = System.getProperty("cfg", "air-quality-lstm");
        SplitData m = DatasetLoader.loadForTraining(ConfigLoader.load(Path.of("configs", name + ".yaml"), List.of("data.streaming.enabled=never")), n -> { });
        SplitData s = DatasetLoader.loadForTraining(ConfigLoader.load(Path.of("configs", name + ".yaml"), List.of("data.streaming.enabled=always",
                "data.streaming.cacheDir=" + dir)), n -> { });
        System.out.println("NAMES " + m.featureNames() + "\n      " + s.featureNames());
        System.out.println("REPORT " + m.forecast().report() + "\n       " + s.forecast().report());
        System.out.println("FILLS " + m.forecast().fills() + "\n      " + s.forecast().fills());
        System.out.println("SIZES " + m.train().size() + " " + s.train().size() + " " + m.test().size() + " " + s.test().size());
        int shown = 0;
        for (int i = 0; i < Math.min(m.train().size(), s.train().size()) && shown < 3; i++) {
            double[][] a = m.train().sequence(i), b = s.train().sequence(i);
            for (int t = 0; t < a.length; t++) {
                if (!java.util.Arrays.equals(a[t], b[t])) {
                    System.out.println("DIFF " + i + " origin " + m.train().origin(i) + " t " + t + "\n " + java.util.Arrays.toString(a[t]) + "\n " + java.util.Arrays.toString(b[t]));
                    shown++;
                    break;
                }
            }
        }
    }
}
