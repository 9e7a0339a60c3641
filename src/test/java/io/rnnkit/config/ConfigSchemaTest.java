package io.rnnkit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSchemaTest {
    static final Path COMMITTED = Path.of("docs/config.schema.json");

    /** Regenerate with: ./rnnkit schema > docs/config.schema.json */
    @Test
    void committedSchemaIsCurrent() throws IOException {
        assertTrue(Files.exists(COMMITTED), COMMITTED + " is missing; write it with ./rnnkit schema > " + COMMITTED);
        assertEquals(ConfigSchema.json(), Files.readString(COMMITTED),
                COMMITTED + " is out of date with the config records; regenerate it with ./rnnkit schema > " + COMMITTED);
    }

    @Test
    void schemaCarriesTypesRangesEnumsDefaultsAndRequiredKeys() {
        JsonNode schema = ConfigSchema.schema();
        assertEquals("[\"name\",\"data\",\"model\"]", schema.get("required").toString());
        assertEquals(false, schema.get("additionalProperties").asBoolean());
        JsonNode layer = schema.get("definitions").get("LayerConfig").get("properties");
        assertEquals("[\"simple-rnn\",\"lstm\",\"gru\"]", layer.get("type").get("enum").toString());
        assertEquals(1, layer.get("units").get("minimum").asInt());
        assertEquals(1, layer.get("dropout").get("exclusiveMaximum").asInt());
        JsonNode updater = schema.get("definitions").get("UpdaterConfig").get("properties");
        assertEquals("adam", updater.get("type").get("default").asText());
        assertEquals(0.001, updater.get("learningRate").get("default").asDouble());
        assertEquals(1, schema.get("definitions").get("ModelConfig").get("properties").get("layers").get("minItems").asInt());
    }

    @Test
    void schemaIsValidJson() throws IOException {
        JsonNode parsed = new ObjectMapper().readTree(ConfigSchema.json());
        assertTrue(parsed.get("definitions").size() >= 15, "every config section has a definition");
    }
}
