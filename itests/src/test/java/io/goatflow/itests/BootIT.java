package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.events.DomainEvents;
import io.goatflow.persistence.Database;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The distribution as a user meets it: boots, answers, logs the admin in, refuses bad input cleanly. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BootIT extends GoatFlowTestSupport {
    static final List<String> CORE_BUNDLES = List.of("io.goatflow.plugin.api", "io.goatflow.persistence",
            "io.goatflow.rest", "io.goatflow.events", "io.goatflow.sysconfig", "io.goatflow.auth", "io.goatflow.tickets",
            "io.goatflow.system");

    @Inject
    private Database database;

    @Test
    public void everyGoatFlowBundleIsActive() {
        Set<String> installed = new HashSet<>();
        for (Bundle bundle : goatflowBundles()) {
            assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
            installed.add(bundle.getSymbolicName());
        }
        assertTrue("installed: " + installed, installed.containsAll(CORE_BUNDLES));
    }

    /** A warm restart starts bundles by start level; ours must follow the JAX-RS whiteboard (see feature.xml). */
    @Test
    public void goatflowBundlesStartAfterTheJaxRsWhiteboard() {
        int whiteboard = -1;
        for (Bundle bundle : bundleContext.getBundles()) {
            if ("org.apache.aries.jax.rs.whiteboard".equals(bundle.getSymbolicName())) {
                whiteboard = bundle.adapt(BundleStartLevel.class).getStartLevel();
            }
        }
        assertTrue("whiteboard installed", whiteboard > 0);
        for (Bundle bundle : goatflowBundles()) {
            int level = bundle.adapt(BundleStartLevel.class).getStartLevel();
            assertTrue(bundle.getSymbolicName() + " start level " + level + " after " + whiteboard, level > whiteboard);
        }
    }

    @Test
    public void healthReportsTheDatabase() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        JsonNode body = json(health);
        assertTrue(body.path("success").asBoolean());
        assertEquals("ok", body.path("data").path("status").asText());
        assertEquals(onPostgres() ? "postgresql" : "h2", body.path("data").path("database").path("kind").asText());
    }

    /** Browsers reach http://localhost over IPv6 loopback first; the console's pages must work there too. */
    @Test
    public void consolePagesAnswerOverIpv6Loopback() throws Exception {
        String port = System.getProperty(PORT_PROPERTY);
        for (String path : List.of("/login", "/customer/login")) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://[::1]:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(path + ": " + page.body(), 200, page.statusCode());
            assertTrue(page.body(), page.body().contains("id=\"login\""));
        }
    }

    @Test
    public void versionNamesProductPluginApiAndDatabase() throws Exception {
        HttpResponse<String> version = get("/api/v1/version");
        assertEquals(200, version.statusCode());
        JsonNode data = json(version).path("data");
        assertEquals("GoatFlow", data.path("product").asText());
        assertEquals(System.getProperty("project.version"), data.path("version").asText());
        assertEquals("0.4.0", data.path("plugin_api_version").asText());
        assertEquals(onPostgres() ? "postgresql" : "h2", data.path("database").asText());
        assertEquals(database.kind().id(), data.path("database").asText());
    }

    @Test
    public void adminLogsInWithTheBootstrapPasswordAndGetsABearerToken() throws Exception {
        HttpResponse<String> login = post("/api/v1/auth/login", null,
                "{\"login\":\"admin\",\"password\":\"" + adminPassword() + "\"}");
        assertEquals(login.body(), 200, login.statusCode());
        JsonNode data = json(login).path("data");
        assertTrue(json(login).path("success").asBoolean());
        String token = data.path("token").asText();
        assertTrue("token has 256 bits: " + token, token.length() >= 43);
        assertEquals("Bearer", data.path("token_type").asText());
        assertEquals("admin", data.path("user").path("login").asText());
        assertTrue(data.path("user").path("admin").asBoolean());
        assertFalse(data.path("expires_at").asText().isEmpty());

        // Sessions live in the database, as a hash only.
        assertEquals(0, count("SELECT COUNT(*) FROM gk_session WHERE token_hash = ?", token));
        assertEquals(1, count("SELECT COUNT(*) FROM gk_session WHERE token_hash = ?", sha256(token)));
        // The token opens admin routes, and logout ends it everywhere.
        assertEquals(200, get("/api/v1/admin/sysconfig", token).statusCode());
        assertEquals(200, post("/api/v1/auth/logout", token, "{}").statusCode());
        assertEquals(0, count("SELECT COUNT(*) FROM gk_session WHERE token_hash = ?", sha256(token)));
        assertError(get("/api/v1/admin/sysconfig", token), 401, "UNAUTHORIZED");
    }

    @Test
    public void bootstrapPasswordIsStoredAsBcrypt() throws Exception {
        String hash = database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT pw FROM users WHERE login = 'admin'");
                    ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertTrue(hash, hash.startsWith("$2b$12$"));
        assertFalse(hash.contains(adminPassword()));
    }

    @Test
    public void wrongPasswordAndUnknownLoginGetTheSameGeneric401() throws Exception {
        JsonNode wrong = assertError(post("/api/v1/auth/login", null,
                "{\"login\":\"admin\",\"password\":\"not-the-password\"}"), 401, "INVALID_CREDENTIALS");
        JsonNode unknown = assertError(post("/api/v1/auth/login", null,
                "{\"login\":\"nobody\",\"password\":\"not-the-password\"}"), 401, "INVALID_CREDENTIALS");
        assertEquals(wrong, unknown);
        assertError(post("/api/v1/auth/login", null, "{\"login\":\"admin\"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    public void badInputGetsA4xxEnvelopeNeverAStackTrace() throws Exception {
        List<HttpResponse<String>> responses = new ArrayList<>();
        responses.add(assertErrorKeep(post("/api/v1/auth/login", null, "{\"login\":"), 400, "INVALID_JSON"));
        responses.add(assertErrorKeep(post("/api/v1/auth/login", null, "[1,2"), 400, "INVALID_JSON"));
        responses.add(assertErrorKeep(post("/api/v1/auth/login", null,
                "{\"login\":\"a\",\"password\":\"b\",\"evil\":1}"), 400, "INVALID_JSON"));
        responses.add(assertErrorKeep(post("/api/v1/auth/login", null,
                "{\"login\":{\"$ne\":1},\"password\":\"b\"}"), 400, "INVALID_JSON"));
        responses.add(assertErrorKeep(get("/api/v1/no/such/endpoint"), 404, "NOT_FOUND"));
        responses.add(assertErrorKeep(get("/api/v2/tickets"), 404, "NOT_FOUND"));
        responses.add(assertErrorKeep(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")), null),
                415, "UNSUPPORTED_MEDIA_TYPE"));
        responses.add(assertErrorKeep(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/version"))
                .DELETE(), null), 405, "METHOD_NOT_ALLOWED"));
        String big = "{\"login\":\"" + "a".repeat(2 * 1024 * 1024) + "\",\"password\":\"x\"}";
        responses.add(assertErrorKeep(post("/api/v1/auth/login", null, big), 413, "PAYLOAD_TOO_LARGE"));
        // Without Content-Length (chunked): refused while reading, nothing buffered beyond the limit.
        responses.add(assertErrorKeep(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))), null),
                413, "PAYLOAD_TOO_LARGE"));
        responses.add(assertErrorKeep(get("/api/v1/admin/sysconfig?page=abc", "not-a-token"), 401, "UNAUTHORIZED"));
        for (HttpResponse<String> response : responses) {
            assertFalse(response.body(), response.body().contains("Exception"));
            assertFalse(response.body(), response.body().contains("\tat "));
            assertTrue(response.headers().firstValue("X-Request-Id").isPresent());
        }
    }

    @Test
    public void sysconfigIsAdminOnlyValidatedAndPublishesChanges() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DomainEvents.topicOf("config.changed"));
        ServiceRegistration<EventHandler> handler = bundleContext.registerService(EventHandler.class, events::add,
                props);
        try {
            assertError(get("/api/v1/admin/sysconfig"), 401, "UNAUTHORIZED");
            String token = adminToken();
            String path = "/api/v1/admin/sysconfig/SessionMaxIdleTime";
            HttpResponse<String> changed = put(path, token, "{\"value\":3600}");
            assertEquals(changed.body(), 200, changed.statusCode());
            assertEquals(3600, json(changed).path("data").path("value").asInt());
            assertEquals("system", json(changed).path("data").path("tier").asText());

            Event event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull("config.changed event", event);
            assertEquals("config.changed", event.getProperty(DomainEvents.TYPE));
            assertEquals("SessionMaxIdleTime", ((Map<?, ?>) event.getProperty(DomainEvents.DATA)).get("name"));

            assertError(put(path, token, "{\"value\":\"an hour\"}"), 400, "VALIDATION_FAILED");
            assertError(put(path, token, "{\"value\":1,\"other\":2}"), 400, "INVALID_JSON");
            assertError(put("/api/v1/admin/sysconfig/NoSuchSetting", token, "{\"value\":1}"), 404, "NOT_FOUND");
            assertEquals(3600, json(get(path, token)).path("data").path("value").asInt());

            HttpResponse<String> reset = send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), token);
            assertEquals(200, reset.statusCode());
            assertEquals("default", json(reset).path("data").path("tier").asText());
            assertEquals(7200, json(reset).path("data").path("value").asInt());

            HttpResponse<String> list = get("/api/v1/admin/sysconfig?per_page=1&page=2", token);
            JsonNode pagination = json(list).path("pagination");
            assertEquals(2, pagination.path("page").asInt());
            assertEquals(1, pagination.path("per_page").asInt());
            assertTrue(pagination.path("has_prev").asBoolean());
            assertEquals(1, json(list).path("data").size());
            assertError(get("/api/v1/admin/sysconfig?per_page=0", token), 400, "VALIDATION_FAILED");
        } finally {
            handler.unregister();
        }
    }

    @Test
    public void migrationsRunOnceAndARestartChangesNothing() throws Exception {
        List<String> before = migrationRows();
        assertTrue(before.toString(), before.stream().anyMatch(r -> r.startsWith("io.goatflow.sysconfig:1:")));
        assertTrue(before.toString(), before.stream().anyMatch(r -> r.startsWith("io.goatflow.auth:1:")));
        long defaults = count("SELECT COUNT(*) FROM sysconfig_default");
        long groups = count("SELECT COUNT(*) FROM groups");

        Bundle auth = bundle("io.goatflow.auth");
        Bundle sysconfig = bundle("io.goatflow.sysconfig");
        auth.stop();
        sysconfig.stop();
        sysconfig.start();
        auth.start();
        awaitReady();
        adminToken();

        assertEquals(before, migrationRows());
        assertEquals(defaults, count("SELECT COUNT(*) FROM sysconfig_default"));
        assertEquals(groups, count("SELECT COUNT(*) FROM groups"));
        assertEquals(1, count("SELECT COUNT(*) FROM users WHERE login = ?", "admin"));
    }

    private List<String> migrationRows() {
        return database.inTransaction(c -> {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT bundle, version, checksum, applied_at"
                    + " FROM gk_schema_migration ORDER BY bundle, version"); ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getString(3) + ":" + rs.getTimestamp(4));
                }
            }
            return rows;
        });
    }

    private long count(String sql, Object... params) {
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    q.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static HttpResponse<String> assertErrorKeep(HttpResponse<String> response, int status, String code)
            throws Exception {
        assertError(response, status, code);
        assertNotEquals(500, response.statusCode());
        return response;
    }

    static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
