package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * Two distributions started at the same moment against one fresh PostgreSQL database, the way a cluster comes up:
 * migrations apply once without corrupting gk_schema_migration, exactly one instance creates the admin with a
 * generated password (printed once), a session issued by one instance works on the other, and a restart changes
 * nothing.
 */
public class MultiInstancePostgresIT {
    private static final Pattern GENERATED = Pattern.compile("Generated password \\(shown only this once\\): (\\S+)");
    private static final String SECURE_KEY = java.util.Base64.getEncoder().encodeToString(
            randomKey());
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** The address both instances are reached by (behind one load balancer), for WebAuthn. */
    private static final String RP_ID = "help.example.test";
    private static final String PUBLIC_ORIGIN = "https://help.example.test";
    private final List<DistributionProcess> instances = new ArrayList<>();

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }
    private final HttpClient http = TestHttp.client();

    @After
    public void stopInstances() throws Exception {
        for (DistributionProcess instance : instances) {
            instance.stop();
        }
    }

    @Test
    public void twoInstancesStartTogetherOnOneDatabase() throws Exception {
        String serverUrl = GoatFlowTestSupport.dbUrl();
        assumeTrue("needs PostgreSQL (./goatflow test runs this pass)", GoatFlowTestSupport.onPostgres());
        String user = System.getProperty("goatflow.itest.db.user");
        String password = System.getProperty("goatflow.itest.db.password");
        String database = "goatflow_multi_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(serverUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + database;

        DistributionProcess a = unpack("a", url, user, password);
        DistributionProcess b = unpack("b", url, user, password);
        a.start();
        b.start();
        a.awaitHealthy(http);
        b.awaitHealthy(http);

        List<String> passwords = new ArrayList<>();
        for (DistributionProcess instance : List.of(a, b)) {
            String log = instance.log();
            assertFalse("migration error in " + instance.home, log.contains("cannot be migrated"));
            Matcher m = GENERATED.matcher(log);
            while (m.find()) {
                passwords.add(m.group(1));
            }
        }
        assertEquals("exactly one instance created the admin: " + passwords, 1, passwords.size());
        String token = TestHttp.login(http, a.base(), "admin", passwords.get(0));
        HttpResponse<String> onB = TestHttp.get(http, b.base() + "/api/v1/admin/sysconfig", token);
        assertEquals("a session issued by A works on B: " + onB.body(), 200, onB.statusCode());
        TestHttp.login(http, b.base(), "admin", passwords.get(0));

        List<String> migrations = query(url, user, password,
                "SELECT bundle || ':' || version || ':' || checksum || ':' || applied_at FROM gk_schema_migration"
                        + " ORDER BY bundle, version");
        assertTrue(migrations.toString(), migrations.stream().anyMatch(r -> r.startsWith("io.goatflow.auth:1:")));
        assertTrue(migrations.toString(), migrations.stream().anyMatch(r -> r.startsWith("io.goatflow.sysconfig:1:")));
        assertTrue(migrations.toString(), migrations.stream().anyMatch(r -> r.startsWith("io.goatflow.tickets:4:")));
        assertEquals(List.of("0"), query(url, user, password,
                "SELECT COUNT(*) FROM sysconfig_default WHERE name NOT IN ('SessionMaxTime', 'SessionMaxIdleTime',"
                        + " 'Customer::ManagementGroup', 'SystemID', 'Ticket::Attachment::MaxBytes',"
                        + " 'Ticket::Attachment::TicketQuotaBytes', 'Ticket::Attachment::BlockedExtensions',"
                        + " 'CustomerPortal::CompanyTickets', 'CustomerPortal::DefaultQueue')"
                        + " AND name NOT LIKE 'Plugin::%'"));
        assertEquals(List.of("9"), query(url, user, password,
                "SELECT COUNT(*) FROM sysconfig_default WHERE name NOT LIKE 'Plugin::%'"));
        // both instances loaded the shipped Statistics plugin and defined its setting: one row
        String pluginSetting = "SELECT COUNT(*) FROM sysconfig_default WHERE name = 'Plugin::stats::Enabled'";
        for (int i = 0; i < 100 && query(url, user, password, pluginSetting).equals(List.of("0")); i++) {
            Thread.sleep(200);
        }
        assertEquals(List.of("1"), query(url, user, password, pluginSetting));
        assertEquals(List.of("4"), query(url, user, password, "SELECT COUNT(*) FROM queue"));
        assertEquals(List.of("3"), query(url, user, password, "SELECT COUNT(*) FROM groups"));
        assertEquals(List.of("1"), query(url, user, password, "SELECT COUNT(*) FROM users"));

        presenceCrossesInstances(a, b, token);
        loginStepsCrossInstances(a, b, token);
        passkeyCeremoniesCrossInstances(a, b, token);

        // A second start of A changes nothing.
        a.stop();
        a.start();
        a.awaitHealthy(http);
        TestHttp.login(http, a.base(), "admin", passwords.get(0));
        assertEquals(migrations, query(url, user, password,
                "SELECT bundle || ':' || version || ':' || checksum || ':' || applied_at FROM gk_schema_migration"
                        + " ORDER BY bundle, version"));
        assertFalse("no second password", GENERATED.matcher(a.log().substring(a.log().indexOf(passwords.get(0))
                + passwords.get(0).length())).find());
    }

    /**
     * An agent's console on A streams who else views a ticket; another agent opening it through B shows up in that
     * stream, and A's viewer is seen from B.
     */
    private void presenceCrossesInstances(DistributionProcess a, DistributionProcess b, String adminToken)
            throws Exception {
        HelpDeskFixture onA = new HelpDeskFixture(http, a.base(), adminToken);
        long users = onA.groupId("users");
        onA.agent("pat", Map.of(users, new String[] {"rw"}));
        onA.agent("quinn", Map.of(users, new String[] {"ro"}));
        long ticket = onA.call("POST", "/api/v1/tickets", adminToken, Map.of("title", "Presence", "queue_id", 1,
                "article", Map.of("channel", "phone", "body", "who is here?")), 201).path("data").path("id").asLong();
        String cookie = TestHttp.loginCookie(http, a.base(), "/api/v1/auth/login", "pat", HelpDeskFixture.PASSWORD);
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(a.base()
                + "/agent/tickets/" + ticket + "/presence")).header("Cookie", cookie)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> stream.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            assertEquals("event: viewers", lines.poll(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("nobody else yet", "data: []", lines.poll(5, java.util.concurrent.TimeUnit.SECONDS));

            String quinn = TestHttp.login(http, b.base(), "quinn", HelpDeskFixture.PASSWORD);
            HelpDeskFixture onB = new HelpDeskFixture(http, b.base(), adminToken);
            JsonNode viewers = onB.call("PUT", "/api/v1/tickets/" + ticket + "/presence", quinn, null, 200).path("data");
            assertTrue("pat, viewing through A, is seen from B: " + viewers, viewers.toString().contains("\"pat\""));
            String line;
            long until = System.currentTimeMillis() + 20_000;
            do {
                line = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            } while ((line == null || !line.startsWith("data:")) && System.currentTimeMillis() < until);
            assertEquals("quinn, viewing through B, appears in A's stream", "data: [\"Test quinn\"]", line);
        } finally {
            reader.interrupt();
            stream.body().close();
        }
    }

    /**
     * Every step of a login may land on another instance: TOTP set up on A and confirmed on B, the password step on
     * A and the code on B, a consumed pending login replayed on A, a replayed code and recovery codes across both;
     * an access token made on A works on B, and revoked on B it stops on A.
     */
    private void loginStepsCrossInstances(DistributionProcess a, DistributionProcess b, String adminToken)
            throws Exception {
        HelpDeskFixture onA = new HelpDeskFixture(http, a.base(), adminToken);
        HelpDeskFixture onB = new HelpDeskFixture(http, b.base(), adminToken);
        onA.agent("rowan", Map.of(onA.groupId("users"), new String[] {"rw"}));
        String session = TestHttp.login(http, a.base(), "rowan", HelpDeskFixture.PASSWORD);
        String secret = onA.call("POST", "/api/v1/users/me/two-factor/totp", session, "{}", 200).path("data")
                .path("secret").asText();
        java.time.Instant now = java.time.Instant.now();
        JsonNode codes = onB.call("POST", "/api/v1/users/me/two-factor/totp/confirm", session,
                Map.of("code", Oath.totp(secret, now)), 200).path("data").path("recovery_codes");

        String pendingOnA = pendingCookie(a, "rowan");
        HttpResponse<String> done = verify(b, pendingOnA, Oath.totp(secret, now.plusSeconds(30)));
        assertEquals("password on A, code on B: " + done.body(), 200, done.statusCode());
        String cookie = done.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("GOATFLOW_SESSION="))
                .findFirst().orElseThrow();
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(a.base() + "/api/v1/users/me"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("the session from B works on A", 200, me.statusCode());
        HttpResponse<String> replayed = verify(a, pendingOnA, Oath.totp(secret, now.plusSeconds(30)));
        assertEquals("a consumed pending login replayed on A: " + replayed.body(), 401, replayed.statusCode());
        assertTrue(replayed.body(), replayed.body().contains("LOGIN_EXPIRED"));

        String pendingOnB = pendingCookie(b, "rowan");
        HttpResponse<String> sameCode = verify(a, pendingOnB, Oath.totp(secret, now.plusSeconds(30)));
        assertEquals("a code used through B is refused on A: " + sameCode.body(), 401, sameCode.statusCode());
        assertTrue(sameCode.body(), sameCode.body().contains("INVALID_CODE"));
        assertEquals(200, verify(a, pendingOnB, codes.get(0).asText()).statusCode());
        HttpResponse<String> usedRecovery = verify(b, pendingCookie(a, "rowan"), codes.get(0).asText());
        assertEquals("a recovery code used on A is refused on B", 401, usedRecovery.statusCode());

        String pat = onA.call("POST", "/api/v1/tokens", session, Map.of("name", "cluster", "scopes",
                java.util.List.of("tickets:read")), 201).path("data").path("token").asText();
        long tokenId = onB.call("GET", "/api/v1/tokens", session, null, 200).path("data").get(0).path("id").asLong();
        assertEquals(200, TestHttp.get(http, b.base() + "/api/v1/users/me", pat).statusCode());
        onB.call("DELETE", "/api/v1/tokens/" + tokenId, session, null, 200);
        assertEquals("revoked on B, refused on A", 401, TestHttp.get(http, a.base() + "/api/v1/users/me", pat)
                .statusCode());
    }

    /**
     * WebAuthn ceremonies begun on one instance finish on the other: registration begun on A and finished on B, a
     * passkey sign-in begun on B and finished on A (replayed on B: refused), and a security key as second factor
     * after the password on A, begun on B and finished on A. Both instances are configured for one public origin.
     */
    private void passkeyCeremoniesCrossInstances(DistributionProcess a, DistributionProcess b, String adminToken)
            throws Exception {
        HelpDeskFixture onA = new HelpDeskFixture(http, a.base(), adminToken);
        HelpDeskFixture onB = new HelpDeskFixture(http, b.base(), adminToken);
        onA.agent("sloane", Map.of(onA.groupId("users"), new String[] {"rw"}));
        String session = TestHttp.login(http, b.base(), "sloane", HelpDeskFixture.PASSWORD);
        SoftAuthenticator laptop = new SoftAuthenticator(PUBLIC_ORIGIN);
        JsonNode begun = onA.call("POST", "/api/v1/users/me/webauthn/register/begin", session,
                Map.of("current_password", HelpDeskFixture.PASSWORD), 200)
                .path("data");
        assertEquals(RP_ID, begun.path("public_key").path("rp").path("id").asText());
        onB.call("POST", "/api/v1/users/me/webauthn/register/finish", session, Map.of("ceremony",
                begun.path("ceremony").asText(), "credential", JSON.readTree(laptop.create(begun.path("public_key")))),
                200);

        JsonNode signIn = onB.call("POST", "/api/v1/auth/passkey/begin", null, Map.of(), 200).path("data");
        Map<String, Object> answer = Map.of("ceremony", signIn.path("ceremony").asText(), "credential",
                JSON.readTree(laptop.get(signIn.path("public_key"))));
        String token = onA.call("POST", "/api/v1/auth/passkey/finish", null, answer, 200).path("data").path("token")
                .asText();
        assertEquals("sloane", onB.call("GET", "/api/v1/users/me", token, null, 200).path("data").path("login")
                .asText());
        JsonNode replayed = onB.call("POST", "/api/v1/auth/passkey/finish", null, answer, 401);
        assertEquals("a ceremony finished on A is gone on B", "PASSKEY_REJECTED",
                replayed.path("error").path("code").asText());

        String pending = pendingCookie(a, "sloane");
        HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(b.base()
                + "/api/v1/auth/2fa/webauthn/begin")).header("Cookie", pending).POST(HttpRequest.BodyPublishers
                        .noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(second.body(), 200, second.statusCode());
        JsonNode options = JSON.readTree(second.body()).path("data");
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(a.base()
                + "/api/v1/auth/2fa/webauthn/finish")).header("Cookie", pending).header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                                "ceremony", options.path("ceremony").asText(), "credential", JSON.readTree(
                                        laptop.get(options.path("public_key"))))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("password on A, key begun on B, finished on A: " + done.body(), 200, done.statusCode());
    }

    private String pendingCookie(DistributionProcess instance, String login) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(instance.base()
                + "/api/v1/auth/login")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"login\":\"" + login + "\",\"password\":\"" + HelpDeskFixture.PASSWORD
                                + "\",\"cookie\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(response.body(), 200, response.statusCode());
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie, cookie.startsWith("GOATFLOW_PENDING_LOGIN="));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private HttpResponse<String> verify(DistributionProcess instance, String pendingCookie, String code)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.base() + "/api/v1/auth/2fa/verify"))
                .header("Content-Type", "application/json").header("Cookie", pendingCookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private DistributionProcess unpack(String name, String url, String user, String password) throws Exception {
        // instances sharing a database share the secure settings key (TOTP keys are sealed with it)
        // and, behind one address, one WebAuthn relying party
        DistributionProcess instance = DistributionProcess.unpack("multi", name, Map.of("GOATFLOW_DB_URL", url,
                "GOATFLOW_DB_USER", user, "GOATFLOW_DB_PASSWORD", password, "GOATFLOW_SECURE_KEY", SECURE_KEY,
                "GOATFLOW_WEBAUTHN_RP_ID", RP_ID, "GOATFLOW_WEBAUTHN_ORIGINS", PUBLIC_ORIGIN));
        instances.add(instance);
        return instance;
    }

    private static List<String> query(String url, String user, String password, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

}
