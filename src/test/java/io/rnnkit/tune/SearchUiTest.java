package io.rnnkit.tune;

import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.Yaml;
import io.rnnkit.report.HeadlessBrowser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tune --ui: arbiter-ui beta7's page, served by rnnkit's M2.1 UI server on loopback, shows the search's summary,
 * its candidates and each candidate's page, as JSON and rendered by a headless browser. (Its configuration tab needs
 * arbiter-deeplearning4j's network spaces; see the README.)
 */
@Tag("browser")
class SearchUiTest {
    @Test
    void arbitersPageShowsTheSearchAndItsCandidates(@TempDir Path dir) throws Exception {
        ConfigSource source = new ConfigSource(Yaml.SEARCH, "search.yaml",
                List.of("search.maxCandidates=2", "training.epochs=2"));
        HttpClient http = HttpClient.newHttpClient();
        try (SearchUi ui = SearchUi.start("127.0.0.1", 0)) {
            URI address = URI.create(ui.address());
            assertEquals("127.0.0.1", address.getHost());
            Search.run(source, dir.resolve("out"), SearchListener.SILENT, ui.listener());

            assertTrue(get(http, address, "").contains("<html"), "the Arbiter page");
            String summary = get(http, address, "/summary");
            assertTrue(summary.contains("[ \"Models Completed\", \"2\" ]") && summary.contains("[ \"Models Failed\", \"0\" ]"), summary);
            String results = get(http, address, "/results");
            assertTrue(results.contains("[ \"0\", ") && results.contains("[ \"1\", ") && results.contains("\"Complete\""), results);
            String candidate = get(http, address, "/candidateInfo/1");
            assertTrue(candidate.contains("[ \"Model Index\", \"1\" ]") && candidate.contains("ChartLine"), candidate);

            // and a browser renders the page from those: the summary table and the candidates' table
            HeadlessBrowser.require();
            String dom = HeadlessBrowser.dumpDom(ui.address(), 10000, dir);
            assertTrue(dom.contains("Models Completed</td><td style=\"padding: 1px;\">2"), dom);
            assertTrue(dom.contains("<td>1</td>") && dom.contains("<td>Complete</td>"), dom);
        }
    }

    private static String get(HttpClient http, URI arbiter, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(arbiter + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), arbiter + path + ": " + response.body());
        return response.body();
    }
}
