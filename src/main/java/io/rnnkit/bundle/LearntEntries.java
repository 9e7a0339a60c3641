package io.rnnkit.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.config.MissingColumn;
import io.rnnkit.config.MissingConfig;
import io.rnnkit.config.MissingPolicy;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.Categories;
import io.rnnkit.data.MissingFills;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entries that hold what reading a series learnt from its training part ({@value BundleFormat#CATEGORIES},
 * {@value BundleFormat#MISSING}), written and read as plain JSON: a reader takes at most {@link #MAX_BYTES}, and every
 * field is checked against the contract and config it travels with (every name one of the contract's features, every
 * policy the config's, every fill a finite number), so a crafted entry is refused at load rather than read into a
 * model's inputs.
 */
final class LearntEntries {
    /** Far above what a few hundred columns' categories and fills take; a larger entry is not one rnnkit wrote. */
    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private LearntEntries() {
    }

    static byte[] write(Categories categories) throws IOException {
        return JSON.writeValueAsBytes(categories.byColumn());
    }

    static byte[] write(MissingFills fills) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode columns = root.putArray("columns");
        for (MissingFills.Column c : fills.columns()) {
            columns.addObject().put("column", c.column()).put("policy", YamlNames.of(c.policy())).put("fill", c.fill());
        }
        return JSON.writeValueAsBytes(root);
    }

    /** {@value BundleFormat#CATEGORIES}: column → its categories, each {@code column=category} a feature of the contract. */
    static Categories categories(byte[] bytes, String source, InputContract contract) {
        String where = source + "!/" + BundleFormat.CATEGORIES;
        JsonNode root = tree(bytes, where);
        if (!root.isObject() || root.size() > contract.features()) {
            throw fault(where, "not an object of at most " + contract.features() + " column(s)");
        }
        Map<String, List<String>> byColumn = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (!column.getValue().isArray() || column.getValue().isEmpty()) {
                throw fault(where, "column " + Printable.quoted(column.getKey()) + " has no list of categories");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode category : column.getValue()) {
                String feature = column.getKey() + "=" + category.asText();
                if (!category.isTextual() || !contract.featureNames().contains(feature) || list.contains(category.asText())) {
                    throw fault(where, "category " + Printable.quoted(category.toString()) + " of column " + Printable.quoted(column.getKey())
                            + " is not a text naming one feature of the contract");
                }
                list.add(category.asText());
            }
            byColumn.put(column.getKey(), list);
        }
        return new Categories(byColumn);
    }

    /**
     * {@value BundleFormat#MISSING}: {@code {"columns": [{"column", "policy", "fill"}]}}, each column a feature of the
     * contract named once, its policy the one {@code missing} (the bundle's config) gives it, its fill a finite number.
     */
    static MissingFills fills(byte[] bytes, String source, InputContract contract, MissingConfig missing) {
        String where = source + "!/" + BundleFormat.MISSING;
        JsonNode root = tree(bytes, where);
        if (!root.isObject() || root.size() != 1 || !root.path("columns").isArray() || root.get("columns").size() > contract.features()) {
            throw fault(where, "not {\"columns\": [...]} with at most " + contract.features() + " column(s)");
        }
        List<MissingFills.Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode c : root.get("columns")) {
            if (!c.isObject() || c.size() != 3 || !c.path("column").isTextual() || !c.path("policy").isTextual() || !c.path("fill").isNumber()) {
                throw fault(where, "column " + Printable.quoted(c.toString()) + " is not {\"column\", \"policy\", \"fill\"}");
            }
            String name = c.get("column").asText();
            if (!contract.featureNames().contains(name) || !seen.add(name)) {
                throw fault(where, "column " + Printable.quoted(name) + " is not a feature of the contract, or is listed twice");
            }
            MissingPolicy policy = YamlNames.parse(MissingPolicy.class, c.get("policy").asText());
            MissingPolicy declared = missing.columns().stream().filter(m -> m.column().equals(name) && m.policy() != null)
                    .map(MissingColumn::policy).findFirst().orElse(missing.policy());
            if (policy != declared) {
                throw fault(where, "column " + Printable.quoted(name) + " has policy " + Printable.quoted(c.get("policy").asText())
                        + ", but the bundle's config gives it " + YamlNames.of(declared));
            }
            double fill = c.get("fill").asDouble();
            if (!Double.isFinite(fill)) {
                throw fault(where, "column " + Printable.quoted(name) + " has a fill that is not a finite number");
            }
            columns.add(new MissingFills.Column(name, policy, fill));
        }
        return new MissingFills(columns);
    }

    private static JsonNode tree(byte[] bytes, String where) {
        if (bytes.length > MAX_BYTES) {
            throw fault(where, bytes.length + " bytes, more than such an entry may hold (" + MAX_BYTES + ")");
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw fault(where, "not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static BundleIntegrityException fault(String where, String what) {
        return new BundleIntegrityException(where + ": " + what);
    }

    /** Columns a contract's covariates may name per kind; more is not a contract rnnkit wrote. */
    static final int MAX_COVARIATES = 1024;

    /**
     * A forecaster's covariates (format 7): the contract's {@code forecast.covariates} exactly as its config declares them,
     * led by the horizon, within {@link #MAX_COVARIATES} per kind, and its feature names ending in the covariates'
     * features; the layout, or null for a model without covariates.
     */
    static io.rnnkit.data.Covariates covariates(InputContract contract, io.rnnkit.config.ExperimentConfig config, Categories categories,
                                                 int formatVersion, String source) {
        String where = source + "!/" + BundleFormat.CONTRACT;
        io.rnnkit.config.SeriesConfig series = config.data().series();
        InputContract.CovariateColumns saved = contract.forecast() == null ? null : contract.forecast().covariates();
        boolean declared = contract.forecast() != null && series.covariates();
        if (saved == null && !declared) {
            return null;
        }
        if (saved != null && formatVersion < 7) {
            throw fault(where, "forecast.covariates arrived with bundle format 7, but the manifest says format " + formatVersion);
        }
        if (saved == null) {
            throw fault(where, "the config declares covariates (data.series futureColumns, staticColumns or calendar), but the contract has"
                    + " no forecast.covariates");
        }
        if (saved.future().size() > MAX_COVARIATES || saved.statics().size() > MAX_COVARIATES || saved.calendar().size() > MAX_COVARIATES) {
            throw fault(where, "forecast.covariates names more than " + MAX_COVARIATES + " columns of one kind");
        }
        if (!saved.future().equals(series.futureColumns()) || !saved.statics().equals(series.staticColumns())
                || !saved.calendar().equals(series.calendar()) || saved.lead() != contract.forecast().horizon()) {
            throw fault(where, "forecast.covariates " + saved + " is not what the config declares (future " + series.futureColumns()
                    + ", static " + series.staticColumns() + ", calendar " + series.calendar() + ", lead = horizon "
                    + contract.forecast().horizon() + ")");
        }
        try {
            return io.rnnkit.data.Covariates.of(series, contract.featureNames(), categories == null ? new Categories(Map.of()) : categories,
                    contract.forecast().horizon());
        } catch (IllegalArgumentException e) {
            throw fault(where, e.getMessage());
        }
    }
}
