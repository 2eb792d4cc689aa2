package io.goatflow.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's way to the REST API: every read and write goes through {@code /api/v1} of this same instance, on
 * loopback, with the caller's session cookie. So the console has no second copy of any rule: validation, RBAC
 * (a ticket you may not see is a 404 here too), sanitising and the error envelope are the API's.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String cookie;
    private final String bearer;
    private final String language;

    /** With the caller's session cookie, or (event streams only, see {@link Route#queryToken}) a bearer token. */
    ApiClient(HttpClient http, URI base, String cookie, String bearer, String language) {
        this.http = http;
        this.base = base;
        this.cookie = cookie;
        this.bearer = bearer;
        this.language = language;
    }

    /** A failed API call, with the envelope's code and message (already fit to show a user). */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        /** The API's per-field messages ({@code error.fields}), shown next to the form controls; may be empty. */
        final JsonNode fields;

        ApiError(int status, String code, String message) {
            this(status, code, message, NullNode.instance);
        }

        ApiError(int status, String code, String message, JsonNode fields) {
            super(message);
            this.status = status;
            this.code = code;
            this.fields = fields == null ? NullNode.instance : fields;
        }
    }

    /** A successful answer: {@code data} and, for lists, {@code pagination}. */
    record Answer(JsonNode data, JsonNode pagination) {
    }

    JsonNode get(String path) {
        return call("GET", path, null).data();
    }

    Answer page(String path) {
        return call("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return call("POST", path, body).data();
    }

    JsonNode put(String path, Object body) {
        return call("PUT", path, body).data();
    }

    JsonNode delete(String path) {
        return call("DELETE", path, null).data();
    }

    Answer call(String method, String path, Object body) {
        HttpRequest.Builder builder = request(path);
        try {
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                builder.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode tree = response.body().length == 0 ? NullNode.instance : JSON.readTree(response.body());
            // 204 No Content is a success without an envelope
            boolean noContent = response.statusCode() == 204 && response.body().length == 0;
            if (response.statusCode() >= 400 || !noContent && !tree.path("success").asBoolean(false)) {
                JsonNode error = tree.path("error");
                throw new ApiError(response.statusCode(), error.path("code").asText("HTTP_" + response.statusCode()),
                        error.path("message").asText(""), error.path("fields"));
            }
            return new Answer(tree.path("data"), tree.path("pagination"));
        } catch (IOException e) {
            throw new ApiError(503, "API_UNREACHABLE", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "INTERRUPTED", "Interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Accept-Language", language);
        if (cookie != null) {
            builder.header("Cookie", cookie);
        } else if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    /** {@code path?k=v&...} with the non-blank values, URL-encoded. */
    static String query(String path, Map<String, ?> params) {
        StringBuilder out = new StringBuilder(path);
        char separator = path.contains("?") ? '&' : '?';
        for (Map.Entry<String, ?> entry : params.entrySet()) {
            Object value = entry.getValue();
            if (value == null || value.toString().isBlank()) {
                continue;
            }
            out.append(separator).append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    /** {@link #query} ready for one more parameter: ends with {@code ?} or {@code &}. */
    static String queryPrefix(String path, Map<String, ?> params) {
        String q = query(path, params);
        return q + (q.contains("?") ? "&" : "?");
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
