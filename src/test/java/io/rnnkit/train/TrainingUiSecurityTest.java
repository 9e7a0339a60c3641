package io.rnnkit.train;

import io.rnnkit.tune.SearchUi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training UI (DL4J's Vert.x server) behind rnnkit's gate, spoken to with raw HTTP on loopback: the page loads
 * for its own address; another Host (DNS rebinding) or a cross-site Origin is refused; a multipart upload (DL4J
 * stores each one in java.io.tmpdir/DL4JUI_*) is refused before anything is written; no folder is left behind.
 */
class TrainingUiSecurityTest {
    private static final String FORM = "------x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + "A".repeat(100_000) + "\r\n------x--\r\n";

    @TempDir
    Path dir;

    /** The status code and whole response of one request, sent as written on a fresh connection. */
    private record Response(int status, String text) {
    }

    private static Response send(int port, String method, String path, String host, String extraHeaders, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders
                    + (body == null ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.UTF_8));
            try {
                if (body != null) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            } catch (IOException closedEarly) {
                // a refused request may be closed before its body is sent; the response is already there to read
            }
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    private static List<Path> uploadFolders(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("DL4JUI_")).toList();
        }
    }

    private static long filesUnder(List<Path> folders) throws IOException {
        long n = 0;
        for (Path f : folders) {
            try (Stream<Path> s = Files.walk(f)) {
                n += s.filter(Files::isRegularFile).count();
            }
        }
        return n;
    }

    @Test
    void foreignHostsOriginsAndUploadsAreRefusedAndNothingIsLeftInTheTemporaryDirectory() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String previous = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString()); // where DL4J's server keeps uploads
        try {
            try (TrainingUi ui = TrainingUi.start("127.0.0.1", 0)) {
                int port = URI.create(ui.address()).getPort();
                String self = "127.0.0.1:" + port;
                Response page = send(port, "GET", "/train/overview", self, "", null);
                assertEquals(200, page.status(), page.text());
                assertTrue(page.text().contains("<html") || page.text().contains("<!DOCTYPE"), "the overview page");
                assertEquals(200, send(port, "GET", "/train/overview", "localhost:" + port, "", null).status(), "localhost names loopback");

                Response rebound = send(port, "GET", "/train/overview", "attacker.example:" + port, "", null);
                assertEquals(403, rebound.status(), rebound.text());
                assertEquals(403, send(port, "GET", "/train/overview", "127.0.0.1:" + (port + 1), "", null).status(), "another port");

                String multipart = "Content-Type: multipart/form-data; boundary=----x\r\n";
                Response crossSite = send(port, "POST", "/tsne/upload", self, multipart + "Origin: http://attacker.example\r\n", FORM);
                assertEquals(403, crossSite.status(), crossSite.text());
                Response upload = send(port, "POST", "/tsne/upload", self, multipart, FORM);
                assertEquals(405, upload.status(), upload.text());
                assertEquals(405, send(port, "POST", "/remoteReceive", self, "Content-Type: application/json\r\n", "{}").status());
                assertEquals(413, send(port, "GET", "/train/overview", self, multipart, FORM).status(), "a GET with a body");
                assertEquals(0, filesUnder(uploadFolders(tmp)), "no upload was stored");
            }
            assertEquals(List.of(), uploadFolders(tmp), "the server's empty uploads folder is removed when it closes");

            try (SearchUi search = SearchUi.start("127.0.0.1", 0)) {
                int port = URI.create(search.address()).getPort();
                assertEquals(403, send(port, "GET", "/arbiter", "attacker.example:" + port, "", null).status(), "tune --ui is gated too");
                assertEquals(200, send(port, "GET", "/arbiter", "127.0.0.1:" + port, "", null).status());
            }
        } finally {
            System.setProperty("java.io.tmpdir", previous);
        }
    }

    @Test
    void theHostRuleAcceptsTheServedNameIpLiteralsAndLocalhostOnLoopbackOnly() {
        UiGate loopback = new UiGate(r -> { }, "127.0.0.1", true);
        assertTrue(loopback.servedHost("127.0.0.1:9000", 9000));
        assertTrue(loopback.servedHost("LOCALHOST:9000", 9000));
        assertTrue(loopback.servedHost("[::1]:9000", 9000));
        assertTrue(!loopback.servedHost("localhost:9001", 9000));
        assertTrue(!loopback.servedHost("127.0.0.1", 9000), "no port means 80");
        assertTrue(!loopback.servedHost("rebind.attacker.example:9000", 9000));
        assertTrue(!loopback.servedHost("127.0.0.1.attacker.example:9000", 9000));
        UiGate named = new UiGate(r -> { }, "trainbox.lan", false);
        assertTrue(named.servedHost("trainbox.lan:9000", 9000));
        assertTrue(!named.servedHost("localhost:9000", 9000), "localhost is not this server when it serves another address");
        assertTrue(named.servedOrigin("http://trainbox.lan:9000", 9000));
        assertTrue(!named.servedOrigin("https://trainbox.lan.attacker.example:9000", 9000));
    }
}
