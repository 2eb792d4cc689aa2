package io.goatflow.itests;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * Builds a help desk through the API as an admin would: groups, queues, agents with permissions, customer
 * companies and customer users. Names carry a random suffix, because on PostgreSQL every test class shares one
 * database.
 */
final class HelpDeskFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "fixture-password-1";

    private final HttpClient http;
    private final String base;
    private final String admin;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);

    HelpDeskFixture(HttpClient http, String base, String adminToken) {
        this.http = http;
        this.base = base;
        this.admin = adminToken;
    }

    String name(String prefix) {
        return prefix + "-" + suffix;
    }

    JsonNode call(String method, String path, String token, Object body, int expectedStatus) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s
                            : JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = TestHttp.send(http, request, token);
        // 503 SERVICE_RESTARTING asks the client to try again shortly; a fixture does, a bounded number of times
        for (int i = 0; i < 20 && response != null && response.statusCode() == 503
                && response.body().contains("SERVICE_RESTARTING"); i++) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            response = TestHttp.send(http, request, null); // the builder already carries the token
        }
        if (response == null) {
            throw new AssertionError(method + " " + path + ": no response");
        }
        assertEquals(method + " " + path + ": " + response.body(), expectedStatus, response.statusCode());
        return JSON.readTree(response.body());
    }

    long group(String name) throws IOException {
        return call("POST", "/api/v1/groups", admin, Map.of("name", name), 201).path("data").path("id").asLong();
    }

    long queue(String name, long groupId) throws IOException {
        return call("POST", "/api/v1/queues", admin, Map.of("name", name, "group_id", groupId), 201)
                .path("data").path("id").asLong();
    }

    long groupId(String name) throws IOException {
        for (JsonNode g : call("GET", "/api/v1/groups", admin, null, 200).path("data")) {
            if (g.path("name").asText().equals(name)) {
                return g.path("id").asLong();
            }
        }
        throw new AssertionError("no group " + name);
    }

    /** An agent with the given permissions, {@code Map.of(groupId, new String[] {"rw"})}. */
    long agent(String login, Map<Long, String[]> permissions) throws IOException {
        long id = call("POST", "/api/v1/users", admin, Map.of("login", login, "password", PASSWORD,
                "first_name", "Test", "last_name", login), 201).path("data").path("id").asLong();
        Map<String, Object> groups = new java.util.LinkedHashMap<>();
        permissions.forEach((group, keys) -> groups.put(String.valueOf(group), keys));
        call("PUT", "/api/v1/users/" + id + "/groups", admin, groups, 200);
        return id;
    }

    void company(String customerId) throws IOException {
        call("POST", "/api/v1/customer-companies", admin, Map.of("customer_id", customerId, "name", customerId), 201);
    }

    long customer(String login, String customerId) throws IOException {
        return call("POST", "/api/v1/customer-users", admin, Map.of("login", login, "email", login + "@example.test",
                "customer_id", customerId, "password", PASSWORD, "first_name", "Cust", "last_name", login), 201)
                .path("data").path("id").asLong();
    }

    String agentToken(String login) throws IOException {
        return TestHttp.login(http, base, login, PASSWORD);
    }

    String customerToken(String login) throws IOException {
        return call("POST", "/api/v1/auth/customer/login", null, Map.of("login", login, "password", PASSWORD), 200)
                .path("data").path("token").asText();
    }
}
