package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A real WASM plugin (the probe, which makes whatever host call it is asked to) acting for callers of two
 * organisations: its SQL sees and changes only the caller's organisation, {@code _org_id} and {@code org_id} name it,
 * its secrets and settings follow it, and an organisation's plugin grants decide whether it may be used at all.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrganisationPluginIT extends GoatFlowTestSupport {

    @Configuration
    @Override
    public Option[] config() {
        return goatflow(editConfigurationFilePut("etc/io.goatflow.wasm.cfg", "scan.interval.ms", "250"));
    }

    private JsonNode tryCall(String token, String call, String args) throws Exception {
        HttpResponse<String> r = post("/api/plugins/probe/try", token, "{\"call\":\"" + call + "\",\"args\":" + args
                + "}");
        assertEquals(r.body(), 200, r.statusCode());
        return json(r).path("data");
    }

    private List<String> titles(String token, String query, String args) throws Exception {
        JsonNode answer = tryCall(token, "db_query", "{\"query\":" + quoted(query) + ",\"args\":" + args + "}");
        assertFalse(query + ": " + answer, answer.path("denied").asBoolean());
        List<String> titles = new ArrayList<>();
        answer.path("result").forEach(row -> titles.add(row.path("title").asText()));
        return titles;
    }

    private static String quoted(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    }

    @Test
    public void aPluginActsForTheCallersOrganisationOnly() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        long group = fx.group(fx.name("plugin-orgs"));
        long queue = fx.queue("Plugin Orgs " + fx.suffix, group);
        long role = fx.call("POST", "/api/v1/roles", admin, Map.of("name", fx.name("plugin-orgs")), 201)
                .path("data").path("id").asLong();
        fx.call("PUT", "/api/v1/roles/" + role + "/groups", admin, Map.of(String.valueOf(group), List.of("rw")), 200);
        long adminId = fx.call("GET", "/api/v1/users/me", admin, null, 200).path("data").path("id").asLong();
        fx.call("PUT", "/api/v1/users/" + adminId + "/roles", admin, List.of(role), 200);
        String tag = fx.suffix.replaceAll("[^a-z0-9]", "");
        ticket(fx, admin, queue, "Zero " + tag);
        long a = fx.call("POST", "/api/v1/organisations", admin, Map.of("name", "Plugin A " + fx.suffix), 201)
                .path("data").path("id").asLong();
        long b = fx.call("POST", "/api/v1/organisations", admin, Map.of("name", "Plugin B " + fx.suffix), 201)
                .path("data").path("id").asLong();
        fx.call("POST", "/api/v1/organisations/" + a + "/members", admin, Map.of("user_id", adminId,
                "is_default", true), 201);
        fx.call("POST", "/api/v1/organisations/" + b + "/members", admin, Map.of("user_id", adminId), 201);
        long alpha = ticket(fx, admin, queue, "Alpha " + tag);
        fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", b), 200);
        long beta = ticket(fx, admin, queue, "Beta " + tag);
        fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", a), 200);

        // a global value left by an earlier run on a shared PostgreSQL database would answer in place of "none"
        delete("/api/v1/secure-config/probe/api.key?org_id=0", admin);
        install("probe");
        try {
            awaitProbe(admin);
            JsonNode org = tryCall(admin, "org_id", "{}");
            assertEquals(org.toString(), a, org.path("result").path("org_id").asLong());
            assertEquals("the host stamps _org_id into the call's arguments", a, org.path("org").asLong());

            String like = "[\"%" + tag + "\"]";
            assertEquals(List.of("Alpha " + tag), titles(admin, "SELECT title FROM ticket WHERE title LIKE ?", like));
            // hostile shapes through the real sandbox (the parser-level list is in OrgScopedSqlTest)
            assertEquals(List.of("Alpha " + tag), titles(admin, "SELECT title FROM ticket WHERE title LIKE ? OR 1=1"
                    + " ORDER BY title", like));
            assertEquals(List.of("Alpha " + tag), titles(admin, "SELECT title FROM ticket WHERE title LIKE ? UNION"
                    + " SELECT t2.title FROM ticket t2 WHERE t2.org_id = ?", "[\"%" + tag + "\"," + b + "]"));
            assertEquals(List.of(), titles(admin, "WITH x AS (SELECT * FROM ticket) SELECT title FROM x WHERE id IN"
                    + " (?, ?)", "[" + beta + ", 0]"));
            assertEquals(List.of(), titles(admin, "SELECT (SELECT MAX(title) FROM ticket y WHERE y.id = ?) AS title"
                    + " FROM queue q WHERE q.id = ? AND (SELECT MAX(title) FROM ticket y WHERE y.id = ?) IS NOT NULL",
                    "[" + beta + "," + queue + "," + beta + "]"));
            JsonNode count = tryCall(admin, "db_query", "{\"query\":\"SELECT COUNT(*) AS n FROM ticket /* all */"
                    + " WHERE org_id <> ? -- everything else\",\"args\":[" + a + "]}");
            assertEquals(count.toString(), 0, count.path("result").path(0).path("n").asInt());
            JsonNode shadow = tryCall(admin, "db_query", "{\"query\":\"WITH ticket AS (SELECT 1 AS id) SELECT id FROM"
                    + " ticket\"}");
            assertTrue(shadow.toString(), shadow.path("denied").asBoolean());

            // a nested plugin call acts for the same organisation, whatever _org_id its caller puts in
            JsonNode nested = tryCall(admin, "plugin_call", "{\"plugin\":\"probe\",\"function\":\"try_call\","
                    + "\"args\":{\"_org_id\":999,\"_body\":{\"call\":\"org_id\",\"args\":{}}}}").path("result");
            assertEquals(nested.toString(), a, nested.path("org").asLong());
            assertEquals(nested.toString(), a, nested.path("result").path("org_id").asLong());
            // the plugin's cache is per organisation too
            tryCall(admin, "cache_set", "{\"key\":\"summary\",\"value\":\"alpha-only\",\"ttl\":60}");

            fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", b), 200);
            assertEquals(b, tryCall(admin, "org_id", "{}").path("result").path("org_id").asLong());
            assertFalse(tryCall(admin, "cache_get", "{\"key\":\"summary\"}").toString().contains("alpha-only"));
            assertEquals(List.of("Beta " + tag), titles(admin, "SELECT title FROM ticket WHERE title LIKE ?", like));
            assertTrue(alpha > 0);

            // secrets: per organisation, falling back to the global value, never shown in full to anyone
            assertFalse(tryCall(admin, "secure_config_set", "{\"key\":\"api.key\",\"value\":\"secret-of-b-1234\"}")
                    .path("denied").asBoolean());
            assertEquals("secret-of-b-1234", tryCall(admin, "secure_config_get", "{\"key\":\"api.key\"}")
                    .path("result").path("value").asText());
            fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", a), 200);
            assertTrue(tryCall(admin, "secure_config_get", "{\"key\":\"api.key\"}").path("result").path("value")
                    .isNull());
            fx.call("PUT", "/api/v1/secure-config/probe/api.key?org_id=0", admin, Map.of("value", "global-secret-9876"),
                    200);
            assertEquals("global-secret-9876", tryCall(admin, "secure_config_get", "{\"key\":\"api.key\"}")
                    .path("result").path("value").asText());
            String listed = get("/api/v1/secure-config?namespace=probe", admin).body();
            assertFalse(listed, listed.contains("secret-of-b") || listed.contains("global-secret"));
            assertTrue(listed, listed.contains("1234") && listed.contains("9876"));
            String logs = get("/api/v1/plugins/probe/logs", admin).body();
            assertFalse(logs, logs.contains("secret-of-b") || logs.contains("global-secret"));

            // settings: the organisation's override reaches the plugin through the same cascade as core
            fx.call("PUT", "/api/v1/organisations/" + a + "/config/SessionMaxIdleTime", admin, Map.of("value", 3600),
                    200);
            assertEquals(3600, tryCall(admin, "config_get", "{\"key\":\"SessionMaxIdleTime\"}").path("result")
                    .path("value").asInt());
            fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", b), 200);
            assertEquals(7200, tryCall(admin, "config_get", "{\"key\":\"SessionMaxIdleTime\"}").path("result")
                    .path("value").asInt());

            // plugin access: once B grants only "hello", the probe does not exist for B's people; A is unaffected
            fx.call("POST", "/api/v1/organisations/" + b + "/plugin-access", admin, Map.of("plugin", "hello"), 201);
            assertError(post("/api/plugins/probe/try", admin, "{\"call\":\"org_id\",\"args\":{}}"), 404, "NOT_FOUND");
            fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", a), 200);
            assertEquals(a, tryCall(admin, "org_id", "{}").path("result").path("org_id").asLong());
            fx.call("DELETE", "/api/v1/organisations/" + b + "/plugin-access/hello", admin, null, 204);
            fx.call("POST", "/api/v1/session/org", admin, Map.of("org_id", b), 200);
            assertEquals(b, tryCall(admin, "org_id", "{}").path("result").path("org_id").asLong());
        } finally {
            Files.deleteIfExists(pluginsDir().resolve("probe.wasm"));
            for (String row : List.of("api.key?org_id=0", "api.key?org_id=" + b)) {
                delete("/api/v1/secure-config/probe/" + row, admin);
            }
            // on PostgreSQL later test classes share the database and the admin: it leaves both organisations
            for (long org : List.of(a, b)) {
                for (JsonNode m : fx.call("GET", "/api/v1/organisations/" + org + "/members", admin, null, 200)
                        .path("data")) {
                    fx.call("DELETE", "/api/v1/organisations/" + org + "/members/" + m.path("id").asLong(), admin,
                            null, 204);
                }
            }
        }
    }

    private void delete(String path, String token) {
        send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + path)).DELETE(), token);
    }

    private static long ticket(HelpDeskFixture fx, String token, long queue, String title) throws Exception {
        return fx.call("POST", "/api/v1/tickets", token, Map.of("title", title, "queue_id", queue, "article",
                Map.of("channel", "phone", "body", title)), 201).path("data").path("id").asLong();
    }

    private void awaitProbe(String admin) throws Exception {
        for (int i = 0; i < 150; i++) {
            for (JsonNode p : json(get("/api/v1/plugins", admin)).path("data")) {
                if (p.path("name").asText().equals("probe") && p.path("status").asText().equals("loaded")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the probe plugin did not load");
    }

    private static Path pluginsDir() {
        return Path.of(System.getProperty("karaf.base"), "plugins");
    }

    private void install(String name) throws Exception {
        Path built = Path.of(System.getProperty("goatflow.itest.basedir"), "itests", "wasm", "target", "wasm",
                name + ".wasm");
        Path tmp = pluginsDir().resolve(name + ".wasm.part");
        Files.copy(built, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, pluginsDir().resolve(name + ".wasm"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
