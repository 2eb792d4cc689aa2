package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.persistence.Database;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * TOTP second factor as users meet it: set up with a key that Debian's oathtool turns into codes, the password step
 * that opens no session, the pending login (HttpOnly cookie, bound to the client IP, 5 attempts, 5 minutes, used
 * once), recovery codes, replayed codes, turning 2FA off, and the administrators' override with its audit entry.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TwoFactorIT extends GoatFlowTestSupport {
    @Inject
    private Database database;

    record Pending(String cookie, JsonNode body, String setCookie) {
    }

    private Pending passwordStep(String path, String login) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("login", login, "password", HelpDeskFixture.PASSWORD,
                                "cookie", true)))), null);
        assertEquals(response.body(), 200, response.statusCode());
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertEquals("only the pending cookie, no session: " + cookies, 1, cookies.size());
        String setCookie = cookies.get(0);
        assertTrue(setCookie, setCookie.startsWith("GOATFLOW_PENDING_LOGIN="));
        return new Pending(setCookie.substring(0, setCookie.indexOf(';')), json(response), setCookie);
    }

    private HttpResponse<String> verify(Pending pending, String code) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/2fa/verify"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("code", code))));
        if (pending != null) {
            request.header("Cookie", pending.cookie());
        }
        return send(request, null);
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("GOATFLOW_SESSION=")
                || c.startsWith("GOATFLOW_CUSTOMER_SESSION=")).findFirst().map(c -> c.substring(0, c.indexOf(';')))
                .orElseThrow(() -> new AssertionError("no session cookie: " + response.headers().map()));
    }

    private HttpResponse<String> withCookie(String method, String path, String cookie, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).header("Cookie", cookie)
                .header("Origin", base());
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request, null);
    }

    /** Sets up TOTP for the bearer token's account; answers the key and the recovery codes. */
    private static String[] enable(HelpDeskFixture fx, String token, Instant at) throws Exception {
        JsonNode setup = fx.call("POST", "/api/v1/users/me/two-factor/totp", token, null, 200).path("data");
        String secret = setup.path("secret").asText();
        JsonNode confirmed = fx.call("POST", "/api/v1/users/me/two-factor/totp/confirm", token,
                Map.of("code", Oath.totp(secret, at)), 200).path("data");
        String[] out = new String[1 + confirmed.path("recovery_codes").size()];
        out[0] = secret;
        for (int i = 0; i < confirmed.path("recovery_codes").size(); i++) {
            out[i + 1] = confirmed.path("recovery_codes").get(i).asText();
        }
        return out;
    }

    @Test
    public void totpLoginForAgents() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String login = fx.name("totp-agent");
        long agentId = fx.agent(login, Map.of());
        String token = fx.agentToken(login);

        // setup: a fresh key, as text, as otpauth URI and as a QR code; nothing changes until a code confirms it
        JsonNode setup = fx.call("POST", "/api/v1/users/me/two-factor/totp", token, null, 200).path("data");
        String secret = setup.path("secret").asText();
        assertTrue(secret, secret.matches("[A-Z2-7]{32}"));
        String uri = setup.path("otpauth_uri").asText();
        assertTrue(uri, uri.startsWith("otpauth://totp/GoatFlow:" + login + "?secret=" + secret + "&issuer=GoatFlow"));
        assertTrue(setup.path("qr_svg").asText().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertFalse(setup.path("qr_svg").asText().contains("<script"));
        JsonNode status = fx.call("GET", "/api/v1/users/me/two-factor", token, null, 200).path("data");
        assertFalse(status.toString(), status.path("totp_enabled").asBoolean());
        assertTrue(status.toString(), status.path("totp_setup_pending").asBoolean());
        assertTrue("password alone still logs in", TestHttp.login(http, base(), login, HelpDeskFixture.PASSWORD)
                .length() > 20);
        assertError(post("/api/v1/users/me/two-factor/totp/confirm", token, "{\"code\":\"12345\"}"), 400,
                "INVALID_CODE");
        assertError(post("/api/v1/users/me/two-factor/totp/confirm", token, "{\"code\":"), 400, "INVALID_JSON");
        assertError(post("/api/v1/users/me/two-factor/totp/confirm", token, "{}"), 400, "VALIDATION_FAILED");

        // confirmed with oathtool's code: 8 recovery codes of 128 bits, shown once
        Instant now = Instant.now();
        JsonNode confirmed = fx.call("POST", "/api/v1/users/me/two-factor/totp/confirm", token,
                Map.of("code", Oath.totp(secret, now)), 200).path("data");
        JsonNode codes = confirmed.path("recovery_codes");
        assertEquals(8, codes.size());
        Set<String> distinct = new HashSet<>();
        for (JsonNode code : codes) {
            assertTrue(code.asText(), code.asText().replace("-", "").matches("[0-9a-f]{32}"));
            distinct.add(code.asText());
        }
        assertEquals(8, distinct.size());
        status = fx.call("GET", "/api/v1/users/me/two-factor", token, null, 200).path("data");
        assertTrue(status.toString(), status.path("totp_enabled").asBoolean());
        assertEquals(8, status.path("recovery_codes_left").asInt());
        assertFalse("status never shows the key", status.toString().contains(secret));
        assertError(post("/api/v1/users/me/two-factor/totp", token, "{}"), 409, "TOTP_ALREADY_ENABLED");
        // the key is sealed, never stored in clear
        database.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT COUNT(*) FROM gk_secure_config WHERE name = ?")) {
                q.setString(1, "totp.agent." + agentId);
                try (var rs = q.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
            }
            return null;
        });

        // the password step opens no session and gives no token: an HttpOnly pending cookie only
        Pending pending = passwordStep("/api/v1/auth/login", login);
        assertTrue(pending.body().toString(), pending.body().path("data").path("second_factor_required").asBoolean());
        assertTrue(pending.body().path("data").path("token").isMissingNode());
        assertTrue(pending.setCookie(), pending.setCookie().contains("HttpOnly"));
        assertTrue(pending.setCookie(), pending.setCookie().contains("SameSite="));
        assertTrue(pending.setCookie(), pending.setCookie().matches(".*Max-Age=(300|299|298).*"));
        HttpResponse<String> bearerStep = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("login", login, "password", HelpDeskFixture.PASSWORD)))), null);
        assertTrue(bearerStep.body(), json(bearerStep).path("data").path("token").isMissingNode());
        assertError(get("/api/v1/users/me", pending.cookie().substring(pending.cookie().indexOf('=') + 1)), 401,
                "UNAUTHORIZED");
        assertError(withCookie("GET", "/api/v1/users/me", pending.cookie(), null), 401, "UNAUTHORIZED");

        // the second step: no cookie, a wrong code, then the code of the next step (within the ±1 window)
        assertError(verify(null, "123456"), 401, "LOGIN_EXPIRED");
        assertError(verify(pending, "not-a-code"), 401, "INVALID_CODE");
        assertError(verify(pending, "{}"), 401, "INVALID_CODE");
        String nextCode = Oath.totp(secret, now.plusSeconds(30));
        HttpResponse<String> done = verify(pending, nextCode);
        assertEquals(done.body(), 200, done.statusCode());
        assertTrue(done.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(
                "GOATFLOW_PENDING_LOGIN=;") && c.contains("Max-Age=0")));
        String session = sessionCookie(done);
        assertEquals(login, json(withCookie("GET", "/api/v1/users/me", session, null)).path("data").path("login")
                .asText());
        // consumed once: the same pending login does not open a second session
        assertError(verify(pending, Oath.totp(secret, now.plusSeconds(30))), 401, "LOGIN_EXPIRED");

        // a replayed code (its time step was used) is refused; a recovery code works once
        Pending second = passwordStep("/api/v1/auth/login", login);
        assertError(verify(second, nextCode), 401, "INVALID_CODE");
        HttpResponse<String> recovered = verify(second, codes.get(0).asText().toUpperCase());
        assertEquals(recovered.body(), 200, recovered.statusCode());
        Pending third = passwordStep("/api/v1/auth/login", login);
        assertError(verify(third, codes.get(0).asText()), 401, "INVALID_CODE");
        assertEquals(7, fx.call("GET", "/api/v1/users/me/two-factor", token, null, 200).path("data")
                .path("recovery_codes_left").asInt());

        // bound to the client IP: the same cookie from 127.0.0.2 finds nothing (and costs no attempt)
        RawHttp.Answer elsewhere = RawHttp.post(base(), "/api/v1/auth/2fa/verify", "127.0.0.2", third.cookie(),
                "{\"code\":\"" + codes.get(1).asText() + "\"}");
        assertEquals(elsewhere.body(), 401, elsewhere.status());
        assertTrue(elsewhere.body(), elsewhere.body().contains("LOGIN_EXPIRED"));
        // (a bearer-form password step answers a bearer token after the second factor)
        HttpResponse<String> fromHere = verify(third, codes.get(1).asText());
        assertEquals(fromHere.body(), 200, fromHere.statusCode());

        // expiry: 5 minutes (aged in the database rather than waited for)
        Pending stale = passwordStep("/api/v1/auth/login", login);
        database.inTransaction(c -> {
            try (var u = c.prepareStatement("UPDATE gk_totp_pending_session SET expires_at = ? WHERE user_id = ?"
                    + " AND user_kind = 'agent'")) {
                u.setTimestamp(1, java.sql.Timestamp.from(Instant.now().minusSeconds(1)));
                u.setLong(2, agentId);
                return u.executeUpdate();
            }
        });
        assertError(verify(stale, codes.get(2).asText()), 401, "LOGIN_EXPIRED");

        // an API token skips the interactive second factor, but cannot turn it off
        String pat = fx.call("POST", "/api/v1/tokens", token, Map.of("name", "ci", "scopes",
                List.of("tickets:read", "tickets:write")), 201).path("data").path("token").asText();
        assertEquals(login, fx.call("GET", "/api/v1/users/me", pat, null, 200).path("data").path("login").asText());
        assertError(post("/api/v1/users/me/two-factor/totp/disable", pat, "{\"code\":\"" + codes.get(2).asText()
                + "\"}"), 403, "INTERACTIVE_SESSION_REQUIRED");

        // at most 5 attempts per pending login; then it is gone even for a right code
        Pending guessed = passwordStep("/api/v1/auth/login", login);
        for (int i = 1; i <= 5; i++) {
            JsonNode error = assertError(verify(guessed, "00000" + i), 401, "INVALID_CODE");
            if (i == 5) {
                assertTrue(error.toString(), error.path("error").path("message").asText().contains("sign in again"));
            }
        }
        assertError(verify(guessed, codes.get(3).asText()), 401, "LOGIN_EXPIRED");
        // ...and wrong codes count per account, across pending logins: the next one waits
        Pending throttled = passwordStep("/api/v1/auth/login", login);
        HttpResponse<String> waiting = verify(throttled, codes.get(3).asText());
        assertError(waiting, 429, "TOO_MANY_ATTEMPTS");
        assertTrue(waiting.headers().firstValue("Retry-After").isPresent());
        Thread.sleep(Long.parseLong(waiting.headers().firstValue("Retry-After").get()) * 1000 + 200);
        HttpResponse<String> afterWait = verify(throttled, codes.get(3).asText());
        assertEquals(afterWait.body(), 200, afterWait.statusCode());

        // turning it off needs a valid code; then the password alone logs in again
        assertError(post("/api/v1/users/me/two-factor/totp/disable", token, "{\"code\":\"000000\"}"), 400,
                "INVALID_CODE");
        Thread.sleep(100);
        HttpResponse<String> off = post("/api/v1/users/me/two-factor/totp/disable", token,
                "{\"code\":\"" + codes.get(4).asText() + "\"}");
        if (off.statusCode() == 429) {
            Thread.sleep(Long.parseLong(off.headers().firstValue("Retry-After").get()) * 1000 + 200);
            off = post("/api/v1/users/me/two-factor/totp/disable", token, "{\"code\":\"" + codes.get(4).asText()
                    + "\"}");
        }
        assertEquals(off.body(), 200, off.statusCode());
        assertFalse(json(off).path("data").path("totp_enabled").asBoolean());
        assertTrue(TestHttp.login(http, base(), login, HelpDeskFixture.PASSWORD).length() > 20);
        database.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT COUNT(*) FROM gk_secure_config WHERE name = ?")) {
                q.setString(1, "totp.agent." + agentId);
                try (var rs = q.executeQuery()) {
                    rs.next();
                    assertEquals("the key is gone with it", 0, rs.getInt(1));
                }
            }
            return null;
        });
    }

    @Test
    public void customersAndTheAdministratorsOverride() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String company = fx.name("tfa-co");
        fx.company(company);
        String login = fx.name("totp-customer");
        long customerId = fx.customer(login, company);
        String token = fx.customerToken(login);
        Instant now = Instant.now();
        String[] enabled = enable(fx, token, now);

        // customers log in with the same second step; the pending login knows it is a customer
        Pending pending = passwordStep("/api/v1/auth/customer/login", login);
        HttpResponse<String> done = verify(pending, Oath.totp(enabled[0], now.plusSeconds(30)));
        assertEquals(done.body(), 200, done.statusCode());
        assertTrue(sessionCookie(done).startsWith("GOATFLOW_CUSTOMER_SESSION="));
        assertEquals("customer", json(done).path("data").path("user").path("kind").asText());

        // the override is for administrators only (everyone else: 404)
        String otherAgent = fx.name("tfa-bystander");
        fx.agent(otherAgent, Map.of());
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/customer-users/" + customerId
                + "/two-factor")).DELETE(), fx.agentToken(otherAgent)), 404, "NOT_FOUND");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/customer-users/" + customerId
                + "/two-factor")).DELETE(), token), 404, "NOT_FOUND");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/customer-users/99999999/two-factor"))
                .DELETE(), admin), 404, "NOT_FOUND");

        // a pending login of the customer dies with the override, and their sessions end
        Pending waiting = passwordStep("/api/v1/auth/customer/login", login);
        JsonNode cleared = fx.call("DELETE", "/api/v1/customer-users/" + customerId + "/two-factor", admin, null, 200)
                .path("data");
        assertTrue(cleared.toString(), cleared.path("cleared").asBoolean());
        assertTrue(cleared.toString(), cleared.path("sessions_ended").asInt() >= 1);
        assertError(get("/api/v1/users/me", token), 401, "UNAUTHORIZED");
        assertError(verify(waiting, enabled[1]), 401, "LOGIN_EXPIRED");
        String again = fx.customerToken(login);
        assertFalse(fx.call("GET", "/api/v1/users/me/two-factor", again, null, 200).path("data")
                .path("totp_enabled").asBoolean());

        // the audit log names who did it, to whom, and from where
        JsonNode entry = fx.call("GET", "/api/v1/audit-log?per_page=5", admin, null, 200).path("data").get(0);
        assertEquals(entry.toString(), "two_factor.cleared", entry.path("action").asText());
        assertEquals("customer", entry.path("target_kind").asText());
        assertEquals(customerId, entry.path("target_id").asLong());
        assertEquals("admin", entry.path("actor_login").asText());
        assertNotNull(entry.path("client_ip").textValue());
        assertError(get("/api/v1/audit-log", again), 404, "NOT_FOUND");
    }

    /**
     * No account enumeration: a wrong password for an account with TOTP on, one without, a disabled one and a login
     * that does not exist get the same answer, and take about as long (bcrypt runs for unknown logins too).
     */
    @Test
    public void knownAndUnknownAccountsAnswerAlikeAndTakeAsLong() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String plain = fx.name("enum-plain");
        fx.agent(plain, Map.of());
        String guarded = fx.name("enum-totp");
        fx.agent(guarded, Map.of());
        enable(fx, fx.agentToken(guarded), Instant.now());
        String disabled = fx.name("enum-disabled");
        long disabledId = fx.agent(disabled, Map.of());
        fx.call("PUT", "/api/v1/users/" + disabledId, admin, Map.of("valid", false), 200);
        String unknown = fx.name("enum-nobody");

        Map<String, List<Long>> times = new java.util.LinkedHashMap<>();
        Set<String> bodies = new HashSet<>();
        for (int round = 0; round < 4; round++) {
            for (String login : List.of(plain, guarded, disabled, unknown)) {
                long start = System.nanoTime();
                HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("login", login, "password", "wrong-password-1")))), null);
                long elapsed = System.nanoTime() - start;
                assertEquals(login + ": " + response.body(), 401, response.statusCode());
                assertTrue(response.headers().allValues("Set-Cookie").isEmpty());
                bodies.add(json(response).path("error").toString());
                times.computeIfAbsent(login, k -> new java.util.ArrayList<>()).add(elapsed);
            }
        }
        assertEquals("one answer for every account: " + bodies, 1, bodies.size());
        List<Long> medians = times.values().stream().map(t -> t.stream().sorted().toList().get(t.size() / 2))
                .toList();
        long fastest = medians.stream().min(Long::compare).orElseThrow();
        long slowest = medians.stream().max(Long::compare).orElseThrow();
        assertTrue("median times (ns) per account differ too much: " + medians, slowest < fastest * 2);
    }
}
