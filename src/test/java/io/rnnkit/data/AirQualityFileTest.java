package io.rnnkit.data;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped air-quality config reads UCI's file as published, with the shape its README documents. */
class AirQualityFileTest {
    @Test
    void theFileIsReadAsPublished() {
        Path file = TestData.require("air_quality/AirQualityUCI.csv");
        LoadedConfig config = ConfigLoader.load(Path.of("configs", "air-quality-lstm.yaml"), List.of());
        SeriesLayout.Series s = SeriesLayout.read(file, config.config().data(), config.locations(), null);
        assertEquals(9357, s.values().length, "9357 hours; the 114 rows of empty fields are not data");
        assertEquals(List.of("AirQualityUCI.csv: ignored 114 trailing row(s) of empty fields", "AirQualityUCI.csv: ignored 2 trailing empty column(s)"),
                s.notes());
        assertEquals(List.of("CO(GT)", "PT08.S1(CO)", "C6H6(GT)", "PT08.S2(NMHC)", "NOx(GT)", "PT08.S3(NOx)", "NO2(GT)", "PT08.S4(NO2)", "PT08.S5(O3)",
                "T", "RH", "AH"), s.columns());
        // line 2: 10/03/2004;18.00.00;2,6;1360;150;11,9;1046;166;1056;113;1692;1268;13,6;48,9;0,7578;;
        assertEquals(List.of(2.6, 1360.0, 11.9, 1046.0, 166.0, 1056.0, 113.0, 1692.0, 1268.0, 13.6, 48.9, 0.7578),
                Arrays.stream(s.values()[0]).boxed().toList());
        assertEquals(2L, s.lines()[0]);
        // CO(GT) is -200 on 1592 lines and -200,0 on 91: both the sentinel
        assertEquals(1683, Arrays.stream(s.values()).filter(r -> Double.isNaN(r[0])).count());
    }
}
