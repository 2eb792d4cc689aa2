package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * WASM plugins as their users meet them: the Statistics plugin shipped in plugins/ answers over HTTP with numbers
 * filtered to the caller's queues; purpose-built bad plugins (an endless loop, a memory hog, one that fails every
 * call, an invalid manifest) are contained while the core API keeps answering; the sandbox refuses DDL, platform
 * and other plugins' tables, unlisted hosts and secret settings from inside a real module; dependency graphs load in
 * order or are refused with their reason; and the supervisor takes a hanging plugin from unhealthy through restarts
 * with backoff to a crash loop, which an admin resets. Supervision numbers are small here (configuration).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WasmPluginIT extends GoatFlowTestSupport {

    private static final String SMTP_PORT_PROPERTY = "goatflow.itest.smtp.port";

    @Configuration
    @Override
    public Option[] config() {
        String smtpPort = String.valueOf(TestHttp.freePort());
        return goatflow(
                mavenBundle("com.icegreen", "greenmail", System.getProperty("greenmail.version")),
                systemProperty(SMTP_PORT_PROPERTY).value(smtpPort),
                editConfigurationFilePut("etc/io.goatflow.mail.cfg", "host", "127.0.0.1"),
                editConfigurationFilePut("etc/io.goatflow.mail.cfg", "port", smtpPort),
                editConfigurationFilePut("etc/io.goatflow.mail.cfg", "from", "GoatFlow <helpdesk@goatflow.test>"),
                editConfigurationFilePut("etc/io.goatflow.wasm.cfg", "scan.interval.ms", "250"),
                editConfigurationFilePut("etc/io.goatflow.wasm.cfg", "call.timeout.ms", "1500"),
                editConfigurationFilePut("etc/io.goatflow.wasm.cfg", "memory.max.pages", "64"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "interval.ms", "300"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "timeout.ms", "300"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "failures", "2"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "backoff.initial.ms", "300"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "backoff.max.ms", "1200"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "crashloop.restarts", "2"),
                editConfigurationFilePut("etc/io.goatflow.pluginhost.supervisor.cfg", "crashloop.window.ms",
                        "120000"));
    }

    private static Path pluginsDir() {
        return Path.of(System.getProperty("karaf.base"), "plugins");
    }

    private static Path built(String name) {
        return Path.of(System.getProperty("goatflow.itest.basedir"), "itests", "wasm", "target", "wasm",
                name + ".wasm");
    }

    private void install(String... names) throws Exception {
        for (String name : names) {
            Path target = pluginsDir().resolve(name + ".wasm");
            Path tmp = pluginsDir().resolve(name + ".wasm.part");
            Files.copy(built(name), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void remove(String... names) throws Exception {
        for (String name : names) {
            Files.deleteIfExists(pluginsDir().resolve(name + ".wasm"));
        }
    }

    private JsonNode plugin(String admin, Predicate<JsonNode> which) throws Exception {
        for (JsonNode p : json(get("/api/v1/plugins", admin)).path("data")) {
            if (which.test(p)) {
                return p;
            }
        }
        return null;
    }

    /** Waits until the plugin list has an entry matching {@code which}. */
    private JsonNode awaitPlugin(String admin, Predicate<JsonNode> which, String what) throws Exception {
        for (int i = 0; i < 150; i++) {
            JsonNode p = plugin(admin, which);
            if (p != null) {
                return p;
            }
            Thread.sleep(100);
        }
        fail("no plugin became " + what + ": " + json(get("/api/v1/plugins", admin)).path("data"));
        return null;
    }

    private static Predicate<JsonNode> named(String name, String status) {
        return p -> p.path("name").asText().equals(name) && p.path("status").asText().equals(status);
    }

    private void assertCoreAnswers(String admin) {
        assertEquals(200, statusOf(get("/api/v1/version")));
        assertEquals(200, statusOf(get("/api/v1/tickets", admin)));
    }

    @Test
    public void statisticsCountsOnlyTheCallersQueues() throws Exception {
        String admin = adminToken();
        awaitPlugin(admin, named("stats", "loaded"), "stats loaded");
        JsonNode stats = plugin(admin, p -> p.path("name").asText().equals("stats"));
        assertEquals("wasm", stats.path("runtime").asText());
        assertEquals(5, stats.path("routes").size());

        HelpDeskFixture f = new HelpDeskFixture(http, base(), admin);
        long group = f.group(f.name("stats-g"));
        long mine = f.queue(f.name("stats-mine"), group);
        long hidden = f.group(f.name("stats-h"));
        long other = f.queue(f.name("stats-other"), hidden);
        String login = f.name("stats-agent");
        f.agent(login, Map.of(group, new String[] {"ro"}));
        String agent = f.agentToken(login);
        String writerLogin = f.name("stats-writer");
        f.agent(writerLogin, Map.of(group, new String[] {"rw"}, hidden, new String[] {"rw"}));
        String writer = f.agentToken(writerLogin);
        for (int i = 0; i < 3; i++) {
            f.call("POST", "/api/v1/tickets", writer, Map.of("title", "stats " + i, "queue_id", mine,
                    "article", Map.of("channel", "phone", "body", "x")), 201);
        }
        f.call("POST", "/api/v1/tickets", writer, Map.of("title", "stats hidden", "queue_id", other,
                "article", Map.of("channel", "phone", "body", "x")), 201);

        JsonNode overview = json(get("/api/plugins/stats/overview?range=7d", agent)).path("data");
        assertEquals(overview.toString(), 3, overview.path("total").asInt());
        assertEquals(overview.toString(), 3, overview.path("new").asInt());
        JsonNode byQueue = json(get("/api/plugins/stats/by-queue?range=all", agent)).path("data").path("items");
        assertEquals(byQueue.toString(), 1, byQueue.size());
        assertEquals(mine, byQueue.path(0).path("queue_id").asLong());
        JsonNode recent = json(get("/api/plugins/stats/recent-activity?limit=2", agent)).path("data").path("items");
        assertEquals(recent.toString(), 2, recent.size());
        assertEquals("stats 2", recent.path(0).path("title").asText());
        assertEquals(200, statusOf(get("/api/plugins/stats/by-status", agent)));
        assertEquals(200, statusOf(get("/api/plugins/stats/by-priority", agent)));
        assertError(get("/api/plugins/stats/overview?range=forever", agent), 400, "stats:invalid_range");
        assertError(get("/api/plugins/stats/recent-activity?limit=500", agent), 400, "stats:invalid_limit");
        assertEquals(401, statusOf(get("/api/plugins/stats/overview")));

        // the dashboard widgets are listed with translated titles, and their content is RBAC-filtered the same way
        HttpResponse<String> widgets = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base()
                + "/api/v1/plugins/widgets?location=dashboard")).header("Accept-Language", "de-DE,de;q=0.9"), agent);
        JsonNode statsWidget = null;
        for (JsonNode w : json(widgets).path("data")) {
            if ("stats_overview".equals(w.path("id").asText())) {
                statsWidget = w;
            }
        }
        assertTrue(widgets.body(), statsWidget != null);
        assertEquals("Ticket-Übersicht", statsWidget.path("title").asText());
        assertEquals("/api/v1/plugins/stats/widgets/stats_overview", statsWidget.path("url").asText());
        assertEquals(3, json(get("/api/v1/plugins/stats/widgets/stats_overview?range=all", agent)).path("data")
                .path("total").asInt());
        assertEquals(4, json(get("/api/v1/plugins/stats/widgets/stats_overview?range=all", writer)).path("data")
                .path("total").asInt());
        assertError(get("/api/v1/plugins/stats/widgets/no_such_widget", agent), 404, "NOT_FOUND");
        JsonNode menu = json(get("/api/v1/plugins/menu?location=agent&lang=de", agent)).path("data");
        assertTrue(menu.toString(), menu.toString().contains("\"label\":\"Statistik\""));

        // an agent with more queues counts more, and disabling the plugin takes its routes away
        assertEquals(4, json(get("/api/plugins/stats/overview?range=all", writer)).path("data").path("total").asInt());
        assertEquals(2, json(get("/api/plugins/stats/by-queue", writer)).path("data").path("items").size());
        assertEquals(200, statusOf(post("/api/v1/plugins/stats/disable", admin, "{}")));
        assertError(get("/api/plugins/stats/overview", agent), 404, "NOT_FOUND");
        assertEquals(200, statusOf(post("/api/v1/plugins/stats/enable", admin, "{}")));
        assertEquals(200, statusOf(get("/api/plugins/stats/overview", agent)));
    }

    @Test
    public void badPluginsAreContainedAndTheCoreKeepsAnswering() throws Exception {
        String admin = adminToken();
        install("faulty-thrower", "faulty-hog", "faulty-manifest");
        try {
            awaitPlugin(admin, named("faulty-thrower", "loaded"), "faulty-thrower loaded");
            awaitPlugin(admin, named("faulty-hog", "loaded"), "faulty-hog loaded");
            JsonNode invalid = awaitPlugin(admin, p -> p.path("status").asText().equals("invalid")
                    && p.path("source").asText().contains("faulty-manifest"), "invalid");
            String reason = invalid.path("reason").asText();
            for (String field : new String[] {"name", "version", "routes[0].method", "routes[0].path",
                    "routes[0].handler"}) {
                assertTrue(reason, reason.contains(field + ":"));
            }

            assertError(get("/api/plugins/faulty-thrower/boom", admin), 502, "faulty-thrower:boom");
            assertError(get("/api/plugins/faulty-thrower/trap", admin), 502, "faulty-thrower:trap");
            assertCoreAnswers(admin);
            // the memory limit stops the hog; the plugin answers again on a fresh instance
            assertError(get("/api/plugins/faulty-hog/grow", admin), 502, "faulty-hog:trap");
            assertCoreAnswers(admin);
            assertEquals(200, statusOf(get("/api/plugins/faulty-hog/small", admin)));
            JsonNode logs = json(get("/api/v1/plugins/faulty-thrower/logs", admin)).path("data");
            assertTrue(logs.toString(), logs.toString().contains("fails on purpose"));
            // an error is an answer: a plugin that fails its ping is alive
            for (int i = 0; i < 50 && !"healthy".equals(health(admin, "faulty-thrower").path("status").asText());
                    i++) {
                Thread.sleep(100);
            }
            assertEquals("healthy", health(admin, "faulty-thrower").path("status").asText());
        } finally {
            remove("faulty-thrower", "faulty-hog", "faulty-manifest");
        }
        for (int i = 0; i < 50 && plugin(admin, p -> p.path("name").asText().startsWith("faulty-")) != null; i++) {
            Thread.sleep(100);
        }
        assertEquals(null, plugin(admin, p -> p.path("name").asText().startsWith("faulty-")));
        assertError(get("/api/plugins/faulty-hog/small", admin), 404, "NOT_FOUND");
    }

    private JsonNode tryCall(String admin, String call, String args) throws Exception {
        HttpResponse<String> r = post("/api/plugins/probe/try", admin, "{\"call\":\"" + call + "\",\"args\":" + args
                + "}");
        assertEquals(r.body(), 200, r.statusCode());
        return json(r).path("data");
    }

    private void assertDenied(String admin, String call, String args, String code, String mentions) throws Exception {
        JsonNode answer = tryCall(admin, call, args);
        assertTrue(call + " " + args + ": " + answer, answer.path("denied").asBoolean());
        assertEquals(call + " " + args + ": " + answer, code, answer.path("code").asText());
        assertTrue(answer.toString(), answer.path("message").asText().contains(mentions));
    }

    @Test
    public void theSandboxRefusesWhatTheManifestDoesNotGrant() throws Exception {
        String admin = adminToken();
        install("probe");
        try {
            awaitPlugin(admin, named("probe", "loaded"), "probe loaded");
            JsonNode allowed = tryCall(admin, "db_query", "{\"query\":\"SELECT COUNT(*) AS n FROM ticket WHERE id > ?\","
                    + "\"args\":[0]}");
            assertFalse(allowed.toString(), allowed.path("denied").asBoolean());
            assertTrue(allowed.toString(), allowed.path("result").path(0).has("n"));

            assertDenied(admin, "db_exec", "{\"query\":\"DROP TABLE ticket\"}", "denied", "DROP");
            assertDenied(admin, "db_exec", "{\"query\":\"CREATE TABLE probe_x (id INT)\"}", "denied", "CREATE");
            assertDenied(admin, "db_query", "{\"query\":\"SELECT login, pw FROM users\"}", "denied", "users");
            assertDenied(admin, "db_query", "{\"query\":\"SELECT * FROM gk_session\"}", "denied", "gk_session");
            assertDenied(admin, "db_query", "{\"query\":\"SELECT * FROM stats_cache\"}", "denied", "another plugin");
            assertDenied(admin, "db_query", "{\"query\":\"SELECT * FROM article\"}", "denied", "article");
            assertDenied(admin, "db_query", "{\"query\":\"SELECT id FROM ticket UNION SELECT id FROM users\"}",
                    "denied", "users");
            assertDenied(admin, "db_query", "{\"query\":\"SELECT 1 FROM ticket; DELETE FROM ticket\"}", "denied",
                    "one statement");
            assertDenied(admin, "db_exec", "{\"query\":\"DELETE FROM ticket\"}", "denied", "write permissions");
            assertDenied(admin, "http_request", "{\"url\":\"http://example.org/\"}", "denied", "example.org");
            assertDenied(admin, "http_request", "{\"url\":\"file:///etc/passwd\"}", "denied", "http or https");
            assertDenied(admin, "config_get", "{\"key\":\"SMTP::Password\"}", "denied", "SMTP::Password");
            assertDenied(admin, "config_get", "{\"key\":\"Database::URL\"}", "denied", "Database::URL");
            assertDenied(admin, "send_email", "{}", "invalid_arguments", "to is required");
            assertDenied(admin, "no_such_call", "{}", "unknown_call", "no_such_call");
            // plugin_call reaches only plugins the manifest requires or grants
            assertDenied(admin, "plugin_call", "{\"plugin\":\"stats\",\"function\":\"overview\"}", "denied",
                    "'stats' is neither required");

            // granted calls work from inside the module: the cache (prefixed per plugin) and a listed host
            assertFalse(tryCall(admin, "cache_set", "{\"key\":\"k\",\"value\":\"v1\",\"ttl\":60}").path("denied")
                    .asBoolean());
            JsonNode cached = tryCall(admin, "cache_get", "{\"key\":\"k\"}").path("result");
            assertEquals(cached.toString(), "v1", cached.path("value").asText());
            JsonNode version = tryCall(admin, "http_request", "{\"url\":\"" + base() + "/api/v1/version\"}");
            assertEquals(version.toString(), 200, version.path("result").path("status").asInt());

            JsonNode logs = json(get("/api/v1/plugins/probe/logs", admin)).path("data");
            assertTrue(logs.toString(), logs.toString().contains("host call refused: db_exec: DROP"));
            assertTrue(logs.toString(), logs.toString().contains("SMTP::Password"));
            assertCoreAnswers(admin);
        } finally {
            remove("probe");
        }
    }

    /**
     * Jakarta Mail looks its providers up on the context class loader, which inside OSGi sees none of them; the
     * product does the same in its mail bundle (MailClassLoader).
     */
    private static ClassLoader mailClassLoader() throws Exception {
        ClassLoader[] loaders = {Class.forName("org.eclipse.angus.mail.smtp.SMTPTransport").getClassLoader(),
                Class.forName("org.eclipse.angus.activation.MailcapRegistryProviderImpl").getClassLoader(),
                com.icegreen.greenmail.util.GreenMail.class.getClassLoader()};
        return new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                for (ClassLoader l : loaders) {
                    try {
                        return l.loadClass(name);
                    } catch (ClassNotFoundException next) {
                        // try the next bundle
                    }
                }
                throw new ClassNotFoundException(name);
            }

            @Override
            protected java.net.URL findResource(String name) {
                for (ClassLoader l : loaders) {
                    if (l.getResource(name) != null) {
                        return l.getResource(name);
                    }
                }
                return null;
            }

            @Override
            protected java.util.Enumeration<java.net.URL> findResources(String name) throws java.io.IOException {
                java.util.List<java.net.URL> all = new java.util.ArrayList<>();
                for (ClassLoader l : loaders) {
                    all.addAll(java.util.Collections.list(l.getResources(name)));
                }
                return java.util.Collections.enumeration(all);
            }
        };
    }

    @Test
    public void pluginMailReachesOnlyAllowedDomainsWithinTheRateLimit() throws Exception {
        String admin = adminToken();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(mailClassLoader());
        com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
                new com.icegreen.greenmail.util.ServerSetup(Integer.getInteger(SMTP_PORT_PROPERTY), "127.0.0.1",
                        com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        install("probe");
        try {
            awaitPlugin(admin, named("probe", "loaded"), "probe loaded");
            assertEquals(200, statusOf(put("/api/v1/admin/sysconfig/Plugin::Email::PerMinute", admin,
                    "{\"value\":3}")));
            JsonNode sent = tryCall(admin, "send_email", "{\"to\":\"ana@example.test\",\"subject\":\"Grüße\","
                    + "\"body\":\"<p>Hi <b>Ana</b></p>\",\"html\":true}");
            assertFalse(sent.toString(), sent.path("denied").asBoolean());
            assertTrue(smtp.waitForIncomingEmail(10_000, 1));
            jakarta.mail.internet.MimeMessage first = smtp.getReceivedMessages()[0];
            assertEquals("Grüße", first.getSubject());
            assertEquals("ana@example.test", first.getAllRecipients()[0].toString());
            String raw = com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(first);
            assertTrue(raw, raw.contains("<p>Hi <b>Ana</b></p>") && raw.contains("text/html"));
            assertTrue(raw, raw.contains("helpdesk@goatflow.test"));

            // outside the permission's domains, or a header injection: refused, nothing sent
            assertDenied(admin, "send_email", "{\"to\":[\"ana@example.test\",\"eve@evil.test\"],\"subject\":\"s\","
                    + "\"body\":\"b\"}", "denied", "evil.test");
            assertDenied(admin, "send_email", "{\"to\":\"ana@example.test\",\"subject\":\"s\\r\\nBcc: eve@evil.test\","
                    + "\"body\":\"b\"}", "invalid_arguments", "subject");
            // the limit (3 a minute here) counts every attempt that reached the mail step
            assertFalse(tryCall(admin, "send_email", "{\"to\":\"bo@example.test\",\"subject\":\"two\","
                    + "\"body\":\"plain\"}").path("denied").asBoolean());
            assertDenied(admin, "send_email", "{\"to\":\"cy@example.test\",\"subject\":\"three\",\"body\":\"b\"}",
                    "denied", "limit of 3");
            assertTrue(smtp.waitForIncomingEmail(10_000, 2));
            Thread.sleep(500);
            assertEquals(2, smtp.getReceivedMessages().length);
            JsonNode logs = json(get("/api/v1/plugins/probe/logs", admin)).path("data");
            assertTrue(logs.toString(), logs.toString().contains("mail sent to bo@example.test"));
            assertCoreAnswers(admin);
        } finally {
            send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base()
                    + "/api/v1/admin/sysconfig/Plugin::Email::PerMinute")).DELETE(), admin);
            remove("probe");
            smtp.stop();
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    public void dependenciesLoadInOrderAndCyclesAndMissingOnesAreReported() throws Exception {
        String admin = adminToken();
        String[] all = {"dep-base", "dep-middle", "dep-top", "cyc-one", "cyc-two", "cyc-three", "needs-missing",
                "needs-newer"};
        install(all);
        try {
            awaitPlugin(admin, named("dep-top", "loaded"), "dep-top loaded");
            awaitPlugin(admin, named("dep-middle", "loaded"), "dep-middle loaded");
            awaitPlugin(admin, named("dep-base", "loaded"), "dep-base loaded");
            // files arrive one by one, so wait for the final verdicts, not the intermediate ones
            JsonNode cycle = awaitPlugin(admin, named("cyc-two", "refused").and(p -> p.path("reason").asText()
                    .contains("cycle")), "cyc-two refused as a cycle");
            assertTrue(cycle.toString(), cycle.path("reason").asText().contains("cycle")
                    && cycle.path("reason").asText().contains("cyc-one")
                    && cycle.path("reason").asText().contains("cyc-three"));
            JsonNode missing = awaitPlugin(admin, named("needs-missing", "refused"), "needs-missing refused");
            assertTrue(missing.toString(), missing.path("reason").asText().contains("not-installed"));
            JsonNode newer = awaitPlugin(admin, named("needs-newer", "refused").and(p -> p.path("reason").asText()
                    .contains("1.0.0 is installed")), "needs-newer refused for its version");
            assertTrue(newer.toString(), newer.path("reason").asText().contains("^2.0.0"));
            assertEquals(200, statusOf(get("/api/plugins/dep-top/who", admin)));
            assertEquals(404, statusOf(get("/api/plugins/cyc-one/who", admin)));

            // taking the base away takes its dependants down; putting it back brings them up in order
            remove("dep-base");
            JsonNode down = awaitPlugin(admin, named("dep-top", "refused"), "dep-top refused");
            assertTrue(down.toString(), down.path("reason").asText().contains("dep-"));
            assertEquals(404, statusOf(get("/api/plugins/dep-top/who", admin)));
            install("dep-base");
            awaitPlugin(admin, named("dep-top", "loaded"), "dep-top loaded again");
            assertEquals(200, statusOf(get("/api/plugins/dep-middle/who", admin)));
        } finally {
            remove(all);
        }
    }

    private JsonNode health(String admin, String name) throws Exception {
        return json(get("/api/v1/plugins/" + name + "/health", admin)).path("data");
    }

    private JsonNode awaitHealth(String admin, String name, Predicate<JsonNode> which, String what) throws Exception {
        JsonNode h = null;
        for (int i = 0; i < 300; i++) {
            h = health(admin, name);
            if (which.test(h)) {
                return h;
            }
            Thread.sleep(100);
        }
        fail(name + " never became " + what + ": " + h);
        return null;
    }

    @Test
    public void aHangingPluginIsRestartedWithBackoffUntilTheCrashLoopGuardStopsIt() throws Exception {
        String admin = adminToken();
        install("faulty-loop");
        try {
            awaitPlugin(admin, named("faulty-loop", "loaded"), "faulty-loop loaded");
            // a call that never ends is stopped by the runtime's time limit
            assertError(get("/api/plugins/faulty-loop/spin", admin), 504, "faulty-loop:timeout");
            assertCoreAnswers(admin);
            JsonNode unhealthy = awaitHealth(admin, "faulty-loop",
                    h -> h.path("status").asText().equals("unhealthy"), "unhealthy");
            assertTrue(unhealthy.toString(), unhealthy.path("last_error").asText().length() > 0);
            JsonNode restarted = awaitHealth(admin, "faulty-loop", h -> h.path("restarts").asInt() >= 1, "restarted");
            assertFalse(restarted.toString(), restarted.path("crash_loop").asBoolean());
            assertCoreAnswers(admin);
            JsonNode loop = awaitHealth(admin, "faulty-loop", h -> h.path("crash_loop").asBoolean(), "crash loop");
            assertEquals(loop.toString(), "crash_loop", loop.path("status").asText());
            assertEquals(loop.toString(), 2, loop.path("restarts").asInt());
            JsonNode logs = json(get("/api/v1/plugins/faulty-loop/logs", admin)).path("data");
            assertTrue(logs.toString(), logs.toString().contains("restart in 300 ms"));
            assertTrue(logs.toString(), logs.toString().contains("restart in 600 ms"));
            assertTrue(logs.toString(), logs.toString().contains("crash loop"));
            // the list shows it too, and the rest of GoatFlow is unaffected
            assertEquals("crash_loop", plugin(admin, p -> p.path("name").asText().equals("faulty-loop"))
                    .path("health").path("status").asText());
            assertEquals(200, statusOf(get("/api/plugins/stats/overview", admin)));
            assertCoreAnswers(admin);

            assertError(post("/api/v1/plugins/no-such-plugin/reset-crashloop", admin, "{}"), 404, "NOT_FOUND");
            assertError(get("/api/v1/plugins/no-such-plugin/health", admin), 404, "NOT_FOUND");
            JsonNode reset = json(post("/api/v1/plugins/faulty-loop/reset-crashloop", admin, "{}")).path("data");
            assertFalse(reset.toString(), reset.path("crash_loop").asBoolean());
            // supervision resumes: it fails again and is restarted again
            awaitHealth(admin, "faulty-loop", h -> h.path("restarts").asInt() >= 3, "restarted after the reset");
        } finally {
            remove("faulty-loop");
        }
    }
}
