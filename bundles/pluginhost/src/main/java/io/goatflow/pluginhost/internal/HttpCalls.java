package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.plugin.api.HostCallException;
import io.goatflow.plugin.api.HostCalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code http_request}: outbound HTTP for plugins, only to hosts their manifest lists ({@code api.example.com} or
 * {@code *.example.com}), no redirects (a redirect could leave the allow-list), bounded time and body size.
 */
final class HttpCalls {
    static final int MAX_BODY = 1 << 20;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade");
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static boolean hostAllowed(List<String> patterns, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (p.startsWith("*.") ? h.endsWith(p.substring(1)) : h.equals(p)) {
                return true;
            }
        }
        return false;
    }

    String request(List<String> allowedHosts, JsonNode args) {
        String method = args.path("method").asText("GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new HostCallException(HostCalls.DENIED, "http_request: method " + method + " is not supported");
        }
        URI uri;
        try {
            uri = URI.create(args.path("url").asText(""));
        } catch (IllegalArgumentException e) {
            throw new HostCallException(HostCalls.DENIED, "http_request: url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new HostCallException(HostCalls.DENIED, "http_request: url must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null) {
            throw new HostCallException(HostCalls.DENIED, "http_request: credentials in the URL are not allowed");
        }
        if (!hostAllowed(allowedHosts, uri.getHost())) {
            throw new HostCallException(HostCalls.DENIED, "http_request: the host " + uri.getHost() + " is not in this plugin's http permissions");
        }
        String body = args.path("body").isTextual() ? args.path("body").asText()
                : args.path("body").isMissingNode() || args.path("body").isNull() ? null : args.path("body").toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (Iterator<Map.Entry<String, JsonNode>> h = args.path("headers").fields(); h.hasNext(); ) {
            Map.Entry<String, JsonNode> header = h.next();
            if (!RESTRICTED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                try {
                    request.header(header.getKey(), header.getValue().asText());
                } catch (IllegalArgumentException e) {
                    throw new HostCallException(HostCalls.DENIED, "http_request: header " + header.getKey() + " is not allowed");
                }
            }
        }
        try {
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_BODY + 1);
            }
            if (bytes.length > MAX_BODY) {
                throw new HostCallException("http_failed", "http_request: the response is larger than " + MAX_BODY + " bytes");
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("status", response.statusCode());
            result.put("body", new String(bytes, StandardCharsets.UTF_8));
            ObjectNode headers = result.putObject("headers");
            response.headers().map().forEach((k, v) -> headers.put(k, String.join(", ", v)));
            return result.toString();
        } catch (IOException e) {
            throw new HostCallException("http_failed", "http_request: " + uri.getHost() + " could not be reached (" + e.getClass()
                    .getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostCallException("http_failed", "http_request: interrupted");
        }
    }
}
