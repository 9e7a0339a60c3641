package io.rnnkit.serve;

/**
 * A request the server answers with an error status: the JSON body says what is wrong and, for a fault in the
 * request body, which field ({@code inputs[3]}, {@code horizon}).
 */
final class HttpFault extends RuntimeException {
    private final int status;
    private final String field;

    HttpFault(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static HttpFault badRequest(String field, String message) {
        return new HttpFault(400, field, message);
    }

    static HttpFault notFound(String message) {
        return new HttpFault(404, null, message);
    }

    int status() {
        return status;
    }

    /** The request body's field at fault, or null. */
    String field() {
        return field;
    }
}
