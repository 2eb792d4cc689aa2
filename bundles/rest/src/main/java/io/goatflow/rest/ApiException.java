package io.goatflow.rest;

import java.util.Map;

/**
 * A failure the caller should see as it is: HTTP status, a stable code and a plain message. Thrown anywhere
 * below a resource; the application's exception mapper turns it into the error envelope. Never carries
 * internals (SQL, stack traces, file paths).
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;
    private final Map<String, String> fields;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Integer retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, null);
    }

    private ApiException(int status, String code, String message, Integer retryAfterSeconds,
            Map<String, String> fields) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(fields));
    }

    /** Per-field messages of a validation failure (empty for other failures). */
    public Map<String, String> fields() {
        return fields;
    }

    /** 400 VALIDATION_FAILED with one message per field, in {@code error.fields}; {@code message} sums them up. */
    public static ApiException fieldErrors(Map<String, String> fields) {
        String summary = fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
        return new ApiException(400, "VALIDATION_FAILED", summary, null, fields);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for the Retry-After header of a 503 or 429, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException validation(String message) {
        return new ApiException(400, "VALIDATION_FAILED", message);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "UNAUTHORIZED", "Authentication required");
    }

    /** Also what a caller gets for something that exists but that they may not see. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", what + " not found");
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    /** 503; the Retry-After header gets the configured number of seconds. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(503, code, message);
    }
}
