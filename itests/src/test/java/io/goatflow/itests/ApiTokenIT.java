package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.persistence.Database;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Personal access tokens as a script uses them: shown once, stored hashed, scoped, with their owner's rights,
 * last use recorded, revoked or expired at once on every request; never accepted as a cookie or in the query
 * string, except by the console's event streams, which a browser's EventSource can only authenticate that way.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApiTokenIT extends GoatFlowTestSupport {
    @Inject
    private Database database;

    @Test
    public void tokensActForTheirOwnerWithinTheirScopes() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        long users = fx.groupId("users");
        String login = fx.name("pat-agent");
        fx.agent(login, Map.of(users, new String[] {"rw"}));
        String session = fx.agentToken(login);

        assertEquals(List.of("tickets:read", "tickets:write"), JSON.convertValue(fx.call("GET",
                "/api/v1/tokens/scopes", session, null, 200).path("data"), List.class));
        assertError(post("/api/v1/tokens", session, "{\"name\":\"x\",\"scopes\":[\"admin:*\"]}"), 400,
                "VALIDATION_FAILED");
        assertError(post("/api/v1/tokens", session, "{\"name\":\"x\",\"scopes\":[]}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/tokens", session, "{\"name\":\"x\",\"scopes\":[\"tickets:delete\"]}"), 400,
                "VALIDATION_FAILED");
        assertError(post("/api/v1/tokens", session, "{\"name\":\"\",\"scopes\":[\"tickets:read\"]}"), 400,
                "VALIDATION_FAILED");
        assertError(post("/api/v1/tokens", session, "{\"name\":\"" + "n".repeat(101)
                + "\",\"scopes\":[\"tickets:read\"]}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/tokens", session, "{\"name\":\"x\",\"scopes\":[\"tickets:read\"],"
                + "\"expires_in_days\":0}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/tokens", session, "{\"name\":"), 400, "INVALID_JSON");

        // created: the token once, with gf_ and its prefix; the list never shows it again
        JsonNode created = fx.call("POST", "/api/v1/tokens", session, Map.of("name", "<b>reader</b>", "scopes",
                List.of("tickets:read"), "expires_in_days", 30), 201).path("data");
        String reader = created.path("token").asText();
        assertTrue(reader, reader.matches("gf_[A-Za-z0-9_-]{43}"));
        assertEquals(reader.substring(0, 10), created.path("prefix").asText());
        assertTrue(created.toString(), created.path("expires_at").asText().startsWith(
                Instant.now().plusSeconds(30L * 86_400).toString().substring(0, 10)));
        String listed = get("/api/v1/tokens", session).body();
        assertFalse(listed, listed.contains(reader));
        assertTrue(listed, listed.contains(created.path("prefix").asText()));
        database.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT token_hash FROM user_api_tokens WHERE id = ?")) {
                q.setLong(1, created.path("id").asLong());
                try (var rs = q.executeQuery()) {
                    rs.next();
                    assertFalse("stored hashed", rs.getString(1).contains(reader.substring(3)));
                    assertEquals(64, rs.getString(1).trim().length());
                }
            }
            return null;
        });

        // a read token reads as its owner and writes nothing; last use is recorded
        assertEquals(login, fx.call("GET", "/api/v1/users/me", reader, null, 200).path("data").path("login").asText());
        fx.call("GET", "/api/v1/tickets", reader, null, 200);
        assertError(post("/api/v1/tickets", reader, "{}"), 403, "INSUFFICIENT_SCOPE");
        assertError(put("/api/v1/users/me/preferences", reader, "{\"theme\":\"dark\"}"), 403, "INSUFFICIENT_SCOPE");
        JsonNode used = fx.call("GET", "/api/v1/tokens", session, null, 200).path("data").get(0);
        assertNotNull(used.toString(), used.path("last_used_at").textValue());
        assertEquals("127.0.0.1", used.path("last_used_ip").asText());
        assertEquals("active", used.path("status").asText());

        // a write token writes; no token manages tokens, passwords or second factors
        String writer = fx.call("POST", "/api/v1/tokens", session, Map.of("name", "writer", "scopes",
                List.of("tickets:write")), 201).path("data").path("token").asText();
        fx.call("PUT", "/api/v1/users/me/preferences", writer, Map.of("theme", "dark"), 200);
        assertError(post("/api/v1/tokens", writer, "{\"name\":\"more\",\"scopes\":[\"tickets:read\"]}"), 403,
                "INTERACTIVE_SESSION_REQUIRED");
        assertError(put("/api/v1/users/me/password", writer, "{\"current_password\":\"" + HelpDeskFixture.PASSWORD
                + "\",\"new_password\":\"another-password-123\"}"), 403, "INTERACTIVE_SESSION_REQUIRED");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tokens/"
                + created.path("id").asLong())).DELETE(), writer), 403, "INTERACTIVE_SESSION_REQUIRED");

        // admin:* only with an administrator's token; an admin's token without it has no admin rights
        String adminAll = fx.call("POST", "/api/v1/tokens", admin, Map.of("name", "ops", "scopes",
                List.of("admin:*")), 201).path("data").path("token").asText();
        String adminTickets = fx.call("POST", "/api/v1/tokens", admin, Map.of("name", "tickets", "scopes",
                List.of("tickets:write")), 201).path("data").path("token").asText();
        fx.call("GET", "/api/v1/audit-log", adminAll, null, 200);
        assertError(get("/api/v1/audit-log", adminTickets), 404, "NOT_FOUND");
        assertFalse(fx.call("GET", "/api/v1/users/me", adminTickets, null, 200).path("data").path("admin")
                .asBoolean());

        // never as a cookie, never as ?token= on the API
        HttpResponse<String> asCookie = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me"))
                .header("Cookie", "GOATFLOW_SESSION=" + reader), null);
        assertError(asCookie, 401, "UNAUTHORIZED");
        assertError(get("/api/v1/users/me?token=" + reader), 401, "UNAUTHORIZED");
        assertError(get("/api/v1/users/me?token=" + session), 401, "UNAUTHORIZED");

        // the console takes ?token= on its event streams only (an EventSource cannot send headers)
        long ticket = fx.call("POST", "/api/v1/tickets", admin, Map.of("title", "Presence " + fx.suffix,
                "queue_id", 1, "customer_user_id", "nobody@example.test", "article",
                Map.of("channel", "phone", "body", "x")), 201).path("data").path("id").asLong();
        HttpResponse<String> dashboard = get("/agent/dashboard?token=" + session);
        assertEquals(303, dashboard.statusCode());
        assertTrue(dashboard.headers().firstValue("Location").orElse("").contains("/login"));
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base() + "/agent/tickets/"
                + ticket + "/presence?token=" + session)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertEquals(200, stream.statusCode());
            assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            byte[] first = new byte[1];
            assertEquals(1, body.read(first));
        }
        HttpResponse<String> badStream = get("/agent/tickets/" + ticket + "/presence?token=not-a-session");
        assertEquals(303, badStream.statusCode());

        // revoked: refused on the next request; expired likewise
        JsonNode revoked = fx.call("DELETE", "/api/v1/tokens/" + created.path("id").asLong(), session, null, 200)
                .path("data");
        assertEquals("revoked", revoked.path("status").asText());
        assertError(get("/api/v1/users/me", reader), 401, "UNAUTHORIZED");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tokens/"
                + created.path("id").asLong())).DELETE(), admin), 404, "NOT_FOUND");
        database.inTransaction(c -> {
            try (var u = c.prepareStatement("UPDATE user_api_tokens SET expires_at = ? WHERE token_hash <> ''"
                    + " AND name = 'writer' AND revoked_at IS NULL")) {
                u.setTimestamp(1, java.sql.Timestamp.from(Instant.now().minusSeconds(1)));
                return u.executeUpdate();
            }
        });
        assertError(get("/api/v1/users/me", writer), 401, "UNAUTHORIZED");
        assertTrue(get("/api/v1/tokens", session).body().contains("\"expired\""));

        // administrators see and revoke anyone's tokens, and that is in the audit log
        long agentId = fx.call("GET", "/api/v1/users/me", session, null, 200).path("data").path("id").asLong();
        String third = fx.call("POST", "/api/v1/tokens", session, Map.of("name", "third", "scopes",
                List.of("tickets:read")), 201).path("data").path("token").asText();
        JsonNode theirs = fx.call("GET", "/api/v1/users/" + agentId + "/tokens", admin, null, 200).path("data");
        assertEquals(3, theirs.size());
        long thirdId = theirs.get(0).path("id").asLong();
        fx.call("DELETE", "/api/v1/users/" + agentId + "/tokens/" + thirdId, admin, null, 200);
        assertError(get("/api/v1/users/me", third), 401, "UNAUTHORIZED");
        JsonNode entry = fx.call("GET", "/api/v1/audit-log?per_page=1", admin, null, 200).path("data").get(0);
        assertEquals("api_token.revoked", entry.path("action").asText());
        assertEquals(agentId, entry.path("target_id").asLong());
        assertError(get("/api/v1/users/" + agentId + "/tokens", session), 404, "NOT_FOUND");
        assertError(get("/api/v1/users/99999999/tokens", admin), 404, "NOT_FOUND");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/" + agentId
                + "/tokens/99999999")).DELETE(), admin), 404, "NOT_FOUND");
    }

    @Test
    public void customersHaveTokensToo() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String company = fx.name("pat-co");
        fx.company(company);
        String login = fx.name("pat-customer");
        fx.customer(login, company);
        String session = fx.customerToken(login);
        assertError(post("/api/v1/tokens", session, "{\"name\":\"x\",\"scopes\":[\"admin:*\"]}"), 400,
                "VALIDATION_FAILED");
        String token = fx.call("POST", "/api/v1/tokens", session, Map.of("name", "portal script", "scopes",
                List.of("tickets:read")), 201).path("data").path("token").asText();
        JsonNode me = fx.call("GET", "/api/v1/users/me", token, null, 200).path("data");
        assertEquals(login, me.path("login").asText());
        fx.call("GET", "/api/v1/tickets", token, null, 200);
        assertError(get("/api/v1/users", token), 404, "NOT_FOUND");
        byte[] body = get("/api/v1/tokens", session).body().getBytes(StandardCharsets.UTF_8);
        assertFalse(new String(body, StandardCharsets.UTF_8).contains(token));
    }
}
