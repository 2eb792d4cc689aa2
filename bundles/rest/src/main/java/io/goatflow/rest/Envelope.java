package io.goatflow.rest;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one response shape of the API: {@code {"success":true,"data":...,"pagination":{...}}} or
 * {@code {"success":false,"error":{"code":"...","message":"..."}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(boolean success, Object data, Pagination pagination, ApiError error) {

    public static Envelope ok(Object data) {
        return new Envelope(true, data, null, null);
    }

    public static Envelope page(Object items, Pagination pagination) {
        return new Envelope(true, items, pagination, null);
    }

    public static Envelope error(String code, String message) {
        return new Envelope(false, null, null, new ApiError(code, message));
    }

    /** An error about input, with one message per offending field ({@code error.fields}). */
    public static Envelope error(String code, String message, Map<String, String> fields) {
        return new Envelope(false, null, null, new ApiError(code, message, fields));
    }

    /** Machine-readable {@code code} (UPPER_SNAKE) and a message fit to show a user. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ApiError(String code, String message, Map<String, String> fields) {
        public ApiError(String code, String message) {
            this(code, message, null);
        }
    }
}
