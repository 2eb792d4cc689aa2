package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.persistence.Database;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Passkeys and security keys through the API, against a software authenticator that really signs: registration,
 * passwordless login for agents and customers (the key decides which), a security key as the second step after the
 * password, ceremonies used once, answers for another origin or without user verification refused, a cloned key
 * (counter gone backwards) refused, removal, and the administrators' reset.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebAuthnIT extends GoatFlowTestSupport {
    @Inject
    private Database database;

    /** A registration start needs the current password. */
    private static final Map<String, Object> PASSWORD = Map.of("current_password", HelpDeskFixture.PASSWORD);

    private String origin() {
        return "http://localhost:" + System.getProperty(PORT_PROPERTY);
    }

    private HttpResponse<String> postJson(String path, String token, String cookie, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text
                        : JSON.writeValueAsString(body)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request, token);
    }

    private JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(response.body(), 200, response.statusCode());
        return json(response).path("data");
    }

    /** Registers a key of the given type for the token's account; answers the key's view. */
    private JsonNode register(String token, SoftAuthenticator authenticator, String type, String name)
            throws Exception {
        JsonNode begun = ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null,
                Map.of("type", type, "current_password", HelpDeskFixture.PASSWORD)));
        String credential = authenticator.create(begun.path("public_key"));
        return ok(postJson("/api/v1/users/me/webauthn/register/finish", token, null, Map.of("ceremony",
                begun.path("ceremony").asText(), "credential", JSON.readTree(credential), "name", name)));
    }

    private HttpResponse<String> passkeyLogin(SoftAuthenticator authenticator, boolean cookie) throws Exception {
        JsonNode begun = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        return postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony", begun.path("ceremony").asText(),
                "credential", JSON.readTree(authenticator.get(begun.path("public_key"))), "cookie", cookie));
    }

    private static String cookieOf(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().map(c -> c.substring(0, c.indexOf(';')))
                .orElseThrow(() -> new AssertionError("no " + name + ": " + response.headers().map()));
    }

    @Test
    public void passkeysSignInAgentsAndCustomersWithoutAPassword() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String login = fx.name("passkey-agent");
        long agentId = fx.agent(login, Map.of());
        String token = fx.agentToken(login);
        SoftAuthenticator laptop = new SoftAuthenticator(origin());

        assertEquals(0, ok(get("/api/v1/users/me/webauthn", token)).path("keys").size());
        // a session alone cannot add a key: the current password is asked again
        assertError(postJson("/api/v1/users/me/webauthn/register/begin", token, null, "{}"), 400,
                "VALIDATION_FAILED");
        assertError(postJson("/api/v1/users/me/webauthn/register/begin", token, null,
                Map.of("current_password", "not-the-password")), 400, "WRONG_PASSWORD");
        // the options ask for a discoverable, user-verified credential bound to the configured RP id
        JsonNode begun = ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null, PASSWORD));
        JsonNode options = begun.path("public_key");
        assertEquals(options.toString(), "localhost", options.path("rp").path("id").asText());
        assertEquals(login, options.path("user").path("name").asText());
        assertEquals("required", options.path("authenticatorSelection").path("residentKey").asText());
        assertEquals("required", options.path("authenticatorSelection").path("userVerification").asText());
        assertFalse("the user handle is not our id", options.path("user").path("id").asText()
                .equals(String.valueOf(agentId)));
        String credential = laptop.create(options);
        JsonNode key = ok(postJson("/api/v1/users/me/webauthn/register/finish", token, null, Map.of("ceremony",
                begun.path("ceremony").asText(), "credential", JSON.readTree(credential), "name", "Laptop <b>")));
        assertEquals("passkey", key.path("type").asText());
        assertEquals("Laptop <b>", key.path("name").asText());
        assertTrue(key.path("passwordless").asBoolean());
        // the ceremony was used: the same answer again is refused and registers nothing
        assertError(postJson("/api/v1/users/me/webauthn/register/finish", token, null, Map.of("ceremony",
                begun.path("ceremony").asText(), "credential", JSON.readTree(credential))), 400,
                "WEBAUTHN_CEREMONY_EXPIRED");
        assertEquals(1, ok(get("/api/v1/users/me/webauthn", token)).path("keys").size());
        // registering again excludes the key the account has
        JsonNode again = ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null, PASSWORD));
        assertEquals(laptop.credentials().get(0).idBase64(),
                again.path("public_key").path("excludeCredentials").get(0).path("id").asText());

        // passwordless: no login name is sent; the key decides whose session opens
        HttpResponse<String> signedIn = passkeyLogin(laptop, false);
        JsonNode data = ok(signedIn);
        assertEquals(login, data.path("user").path("login").asText());
        assertEquals("agent", data.path("user").path("kind").asText());
        assertEquals(login, ok(get("/api/v1/users/me", data.path("token").asText())).path("login").asText());
        assertFalse(ok(get("/api/v1/users/me/webauthn", token)).path("keys").get(0).path("last_used_at").isNull());

        // a ceremony answers once
        JsonNode login2 = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        assertEquals("required", login2.path("public_key").path("userVerification").asText());
        assertEquals(0, login2.path("public_key").path("allowCredentials").size());
        String answer = laptop.get(login2.path("public_key"));
        ok(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony", login2.path("ceremony").asText(),
                "credential", JSON.readTree(answer))));
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony",
                login2.path("ceremony").asText(), "credential", JSON.readTree(answer))), 401, "PASSKEY_REJECTED");

        // an answer signed for another origin (a phishing page relaying our challenge) is refused
        JsonNode phished = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony",
                phished.path("ceremony").asText(), "credential", JSON.readTree(laptop.get(phished.path("public_key"),
                        "http://localhost.evil.example")))), 401, "PASSKEY_REJECTED");
        // without user verification a passkey is only a possession; refused for a passwordless login
        laptop.userVerifies = false;
        assertError(passkeyLogin(laptop, false), 401, "PASSKEY_REJECTED");
        laptop.userVerifies = true;
        // a cloned key shows itself by its counter going backwards
        long counter = laptop.credentials().get(0).counter;
        laptop.credentials().get(0).counter = 0;
        assertError(passkeyLogin(laptop, false), 401, "PASSKEY_REJECTED");
        laptop.credentials().get(0).counter = counter + 10;
        ok(passkeyLogin(laptop, false));

        // open sign-ins are bounded per address without locking anyone out: the 20 newest stay, the oldest goes
        JsonNode oldest = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        JsonNode newest = null;
        for (int i = 0; i < 20; i++) {
            newest = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        }
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony",
                oldest.path("ceremony").asText(), "credential", JSON.readTree(laptop.get(oldest.path("public_key"))))),
                401, "PASSKEY_REJECTED");
        ok(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony", newest.path("ceremony").asText(),
                "credential", JSON.readTree(laptop.get(newest.path("public_key"))))));
        // and an account has one registration open: a newer one replaces it
        JsonNode first = ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null, PASSWORD));
        ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null, PASSWORD));
        assertError(postJson("/api/v1/users/me/webauthn/register/finish", token, null, Map.of("ceremony",
                first.path("ceremony").asText(), "credential", JSON.readTree(new SoftAuthenticator(origin())
                        .create(first.path("public_key"))))), 400, "WEBAUTHN_CEREMONY_EXPIRED");

        // bad input: the error envelope, never a 500
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, "{\"ceremony\":"), 400, "INVALID_JSON");
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, "{}"), 400, "VALIDATION_FAILED");
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony", "x", "credential",
                "text")), 400, "VALIDATION_FAILED");
        JsonNode junk = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony",
                junk.path("ceremony").asText(), "credential", Map.of("id", "AAAA", "type", "public-key",
                        "response", Map.of("clientDataJSON", "!!")))), 401, "PASSKEY_REJECTED");
        assertError(postJson("/api/v1/users/me/webauthn/register/begin", token, null, Map.of("type", "smartcard",
                "current_password", HelpDeskFixture.PASSWORD)),
                400, "VALIDATION_FAILED");

        // a registered key is also a second factor: the password alone no longer opens a session
        JsonNode step = ok(postJson("/api/v1/auth/login", null, null, Map.of("login", login, "password",
                HelpDeskFixture.PASSWORD)));
        assertTrue(step.toString(), step.path("second_factor_required").asBoolean());
        assertEquals(List.of("webauthn"), JSON.convertValue(step.path("methods"), List.class));

        // customers: the same passkey button signs them in as customers, with the customer cookie
        String company = fx.name("pk-co");
        fx.company(company);
        String customerLogin = fx.name("passkey-customer");
        fx.customer(customerLogin, company);
        String customerToken = fx.customerToken(customerLogin);
        SoftAuthenticator phone = new SoftAuthenticator(origin());
        register(customerToken, phone, "passkey", "Phone");
        HttpResponse<String> customerIn = passkeyLogin(phone, true);
        JsonNode customerData = ok(customerIn);
        assertEquals("customer", customerData.path("user").path("kind").asText());
        assertEquals(customerLogin, customerData.path("user").path("login").asText());
        assertTrue("cookie form gives no token", customerData.path("token").isMissingNode());
        String cookie = cookieOf(customerIn, "GOATFLOW_CUSTOMER_SESSION");
        HttpResponse<String> me = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me"))
                .header("Cookie", cookie), null);
        assertEquals(customerLogin, ok(me).path("login").asText());

        // removing a key: only one's own (another account's key is a 404), then it no longer signs in
        long keyId = key.path("id").asLong();
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me/webauthn/" + keyId)).DELETE(),
                customerToken), 404, "NOT_FOUND");
        ok(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me/webauthn/" + keyId)).DELETE(), token));
        assertError(passkeyLogin(laptop, false), 401, "PASSKEY_REJECTED");
        assertTrue("password alone works again", TestHttp.login(http, base(), login, HelpDeskFixture.PASSWORD)
                .length() > 20);
    }

    @Test
    public void securityKeysAsTheSecondStep() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String login = fx.name("seckey-agent");
        long agentId = fx.agent(login, Map.of());
        String token = fx.agentToken(login);
        SoftAuthenticator yubikey = new SoftAuthenticator(origin());
        yubikey.residentKeys = false;
        yubikey.userVerifies = false;

        JsonNode begun = ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null,
                Map.of("type", "security_key", "current_password", HelpDeskFixture.PASSWORD)));
        assertEquals("discouraged", begun.path("public_key").path("authenticatorSelection").path("residentKey")
                .asText());
        JsonNode key = ok(postJson("/api/v1/users/me/webauthn/register/finish", token, null, Map.of("ceremony",
                begun.path("ceremony").asText(), "credential",
                JSON.readTree(yubikey.create(begun.path("public_key"))))));
        assertEquals("security_key", key.path("type").asText());
        assertEquals("Security key", key.path("name").asText());
        // a plain security key cannot be registered as a passkey
        JsonNode asPasskey = ok(postJson("/api/v1/users/me/webauthn/register/begin", token, null, PASSWORD));
        SoftAuthenticator old = new SoftAuthenticator(origin());
        old.residentKeys = false;
        assertError(postJson("/api/v1/users/me/webauthn/register/finish", token, null, Map.of("ceremony",
                asPasskey.path("ceremony").asText(), "credential", JSON.readTree(old.create(asPasskey
                        .path("public_key"))))), 400, "WEBAUTHN_NOT_A_PASSKEY");

        // the password step: no session, a pending login whose method is the key
        HttpResponse<String> password = postJson("/api/v1/auth/login", null, null, Map.of("login", login,
                "password", HelpDeskFixture.PASSWORD, "cookie", true));
        JsonNode step = ok(password);
        assertEquals(List.of("webauthn"), JSON.convertValue(step.path("methods"), List.class));
        String pending = cookieOf(password, "GOATFLOW_PENDING_LOGIN");
        assertError(postJson("/api/v1/auth/2fa/webauthn/begin", null, null, ""), 401, "LOGIN_EXPIRED");
        JsonNode challenge = ok(postJson("/api/v1/auth/2fa/webauthn/begin", null, pending, ""));
        assertEquals(yubikey.credentials().get(0).idBase64(),
                challenge.path("public_key").path("allowCredentials").get(0).path("id").asText());
        // the ceremony belongs to this pending login: another pending login of the same account cannot use it
        HttpResponse<String> otherPassword = postJson("/api/v1/auth/login", null, null, Map.of("login", login,
                "password", HelpDeskFixture.PASSWORD, "cookie", true));
        String otherPending = cookieOf(otherPassword, "GOATFLOW_PENDING_LOGIN");
        String answer = yubikey.get(challenge.path("public_key"));
        assertError(postJson("/api/v1/auth/2fa/webauthn/finish", null, otherPending, Map.of("ceremony",
                challenge.path("ceremony").asText(), "credential", JSON.readTree(answer))), 401, "KEY_REJECTED");
        // (that try used the ceremony up) a fresh one completes the login, in the cookie form the password step asked
        JsonNode fresh = ok(postJson("/api/v1/auth/2fa/webauthn/begin", null, pending, ""));
        HttpResponse<String> done = postJson("/api/v1/auth/2fa/webauthn/finish", null, pending, Map.of("ceremony",
                fresh.path("ceremony").asText(), "credential", JSON.readTree(yubikey.get(fresh.path("public_key")))));
        assertEquals(login, ok(done).path("user").path("login").asText());
        String session = cookieOf(done, "GOATFLOW_SESSION");
        assertTrue(done.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(
                "GOATFLOW_PENDING_LOGIN=;") && c.contains("Max-Age=0")));
        assertEquals(login, ok(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me"))
                .header("Cookie", session), null)).path("login").asText());
        // the pending login is consumed
        assertError(postJson("/api/v1/auth/2fa/webauthn/begin", null, pending, ""), 401, "LOGIN_EXPIRED");

        // a security key never signs in without the password, even if a client offers it for a passkey login
        JsonNode passwordless = ok(postJson("/api/v1/auth/passkey/begin", null, null, ""));
        yubikey.force = yubikey.credentials().get(0);
        yubikey.userVerifies = true;
        assertError(postJson("/api/v1/auth/passkey/finish", null, null, Map.of("ceremony",
                passwordless.path("ceremony").asText(), "credential", JSON.readTree(yubikey.get(passwordless
                        .path("public_key"))))), 401, "PASSKEY_REJECTED");
        yubikey.force = null;

        // TOTP and a key together: the pending login offers both
        JsonNode setup = fx.call("POST", "/api/v1/users/me/two-factor/totp", token, null, 200).path("data");
        fx.call("POST", "/api/v1/users/me/two-factor/totp/confirm", token,
                Map.of("code", Oath.totp(setup.path("secret").asText(), java.time.Instant.now())), 200);
        JsonNode both = ok(postJson("/api/v1/auth/login", null, null, Map.of("login", login, "password",
                HelpDeskFixture.PASSWORD)));
        assertEquals(List.of("totp", "recovery_code", "webauthn"), JSON.convertValue(both.path("methods"), List.class));

        // the administrators' reset removes keys too, ends sessions, and is in the audit log
        JsonNode cleared = fx.call("DELETE", "/api/v1/users/" + agentId + "/two-factor", admin, null, 200)
                .path("data");
        assertTrue(cleared.toString(), cleared.path("cleared").asBoolean());
        assertEquals(1, cleared.path("keys_removed").asInt());
        assertTrue(cleared.toString(), cleared.path("sessions_ended").asInt() >= 1);
        String fresh2 = fx.agentToken(login);
        assertEquals(0, ok(get("/api/v1/users/me/webauthn", fresh2)).path("keys").size());
        JsonNode entry = fx.call("GET", "/api/v1/audit-log", admin, null, 200).path("data").get(0);
        assertTrue(entry.toString(), entry.path("detail").asText().contains("1 passkeys and security keys removed"));
        database.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT COUNT(*) FROM gk_webauthn_credential WHERE user_kind = 'agent'"
                    + " AND user_id = ?")) {
                q.setLong(1, agentId);
                try (var rs = q.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
            return null;
        });
    }
}
