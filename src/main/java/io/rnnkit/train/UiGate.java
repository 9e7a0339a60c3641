package io.rnnkit.train;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What reaches DL4J's UI router: requests addressed to the server by a name it serves, reading pages only.
 *
 * <p>DL4J's server puts Vert.x's {@code BodyHandler} on every route with no size limit, and stores each multipart
 * upload in {@code java.io.tmpdir/DL4JUI_*}, never deleted; it answers to any {@code Host}. So, before its router:
 * <ul>
 * <li>A {@code Host} other than the address the UI serves is refused (403): a web page the user visits could
 *     otherwise rebind its own DNS name to 127.0.0.1 and read the UI (DNS rebinding). A rebinding attack needs a
 *     name, so IP literals are accepted, as is {@code localhost} for a loopback server.</li>
 * <li>A request whose {@code Origin} is another site is refused (403): the cross-site form posts of the issue.</li>
 * <li>Only GET and HEAD without a body pass. The UI's pages only read; the routes that take a body (t-SNE uploads,
 *     remote stats receiving) are unused by rnnkit and are the ones that write uploads (405, 413 for a body).</li>
 * </ul>
 */
final class UiGate implements Handler<HttpServerRequest> {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private final Handler<HttpServerRequest> next;
    private final String host;
    private final boolean loopback;

    /**
     * @param host     the host the server listens on, as the user gave it
     * @param loopback whether that host is a loopback address
     */
    UiGate(Handler<HttpServerRequest> next, String host, boolean loopback) {
        this.next = next;
        this.host = strip(host.toLowerCase(Locale.ROOT));
        this.loopback = loopback;
    }

    @Override
    public void handle(HttpServerRequest request) {
        int port = request.localAddress().port();
        String hostHeader = request.host(); // Host, or :authority after an HTTP/2 upgrade (Java's HttpClient asks for h2c)
        if (hostHeader == null || !servedHost(hostHeader, port)) {
            refuse(request, 403, "this server answers to " + host + ":" + port + " only, not to Host: " + hostHeader);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals("null") && !servedOrigin(origin, port)) {
            refuse(request, 403, "cross-origin requests are refused (Origin: " + origin + ")");
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            refuse(request, 405, "the training UI only shows pages; " + request.method() + " is not allowed");
            return;
        }
        String length = request.getHeader("Content-Length");
        if (request.getHeader("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"))) {
            refuse(request, 413, "the training UI takes no request bodies");
            return;
        }
        next.handle(request);
    }

    /** Whether a {@code Host} header names this server: its host (or an IP literal, or localhost on loopback) and port. */
    boolean servedHost(String value, int port) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        String name;
        String portText;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = v.substring(1, close);
            portText = v.substring(close + 1);
        } else {
            int colon = v.lastIndexOf(':');
            name = colon < 0 ? v : v.substring(0, colon);
            portText = colon < 0 ? "" : v.substring(colon);
        }
        boolean portMatches = portText.equals(":" + port) || (portText.isEmpty() && port == 80);
        boolean literal = IPV4.matcher(name).matches() || (v.startsWith("[") && name.contains(":"));
        return portMatches && (name.equals(host) || literal || (loopback && name.equals("localhost")));
    }

    /** Whether an {@code Origin} is a page of this server ({@code http://host:port}). */
    boolean servedOrigin(String origin, int port) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.startsWith("http://") && servedHost(o.substring("http://".length()), port);
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static void refuse(HttpServerRequest request, int status, String message) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Connection", "close")
                .end(message + "\n", done -> request.connection().close()); // an unread body is not kept for a next request
    }
}
