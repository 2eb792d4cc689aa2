package io.goatflow.rest;

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

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
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
