package io.goatflow.itests;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP as a client script would do it; used inside containers and against separately started instances. */
final class TestHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestHttp() {
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(HttpClient http, String url, String token) {
        return send(http, HttpRequest.newBuilder(URI.create(url)).GET(), token);
    }

    /** The response, or null when the connection failed or no answer came within 10 s (a hang). */
    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String login(HttpClient http, String base, String login, String password) throws IOException {
        String body = JSON.writeValueAsString(java.util.Map.of("login", login, "password", password));
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), null);
        if (response == null) {
            throw new AssertionError("login: no response");
        }
        assertEquals(response.body(), 200, response.statusCode());
        return JSON.readTree(response.body()).path("data").path("token").asText();
    }

    /** {@code name=value} of the session cookie a cookie login sets ({@code path}: the agent or customer login). */
    static String loginCookie(HttpClient http, String base, String path, String login, String password)
            throws IOException {
        String body = JSON.writeValueAsString(java.util.Map.of("login", login, "password", password, "cookie", true));
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), null);
        if (response == null) {
            throw new AssertionError("login: no response");
        }
        assertEquals(response.body(), 200, response.statusCode());
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
