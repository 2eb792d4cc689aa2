package io.goatflow.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed facade sends exactly the wire names and JSON shapes a WASM plugin sends. */
class HostApiTest {
    private final List<String> sent = new ArrayList<>();

    private HostApi host(String answer) {
        return new HostApi((call, json) -> {
            sent.add(call + " " + json);
            return answer;
        });
    }

    @Test
    void callsUseTheWireNamesAndShapesOfTheOriginal() {
        assertEquals(List.of(Map.of("id", 1)), host("[{\"id\":1}]").dbQuery("SELECT id FROM ticket WHERE id = ?", 1));
        assertTrue(sent.get(0).startsWith("db_query {"), sent.get(0));
        assertTrue(sent.get(0).contains("\"query\":\"SELECT id FROM ticket WHERE id = ?\""), sent.get(0));
        assertTrue(sent.get(0).contains("\"args\":[1]"), sent.get(0));
        assertEquals(3, host("{\"affected\":3}").dbExec("DELETE FROM x"));
        assertEquals("v", host("{\"value\":\"v\",\"found\":true}").cacheGet("k").orElseThrow());
        assertTrue(host("{\"found\":false}").cacheGet("k").isEmpty());
        host("{\"ok\":true}").cacheSet("k", "v", Duration.ofMinutes(2));
        assertTrue(sent.get(sent.size() - 1).startsWith("cache_set "), sent.toString());
        assertTrue(sent.get(sent.size() - 1).contains("\"ttl\":120"), sent.toString());
        assertEquals(new HostApi.HttpResult(201, "made"), host("{\"status\":201,\"body\":\"made\"}")
                .httpRequest("POST", "https://api.example.test/x", Map.of(), "{}"));
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), host("{\"now\":\"2026-11-23T10:00:00Z\"}").timeNow());
        assertEquals("{\"r\":1}", host("{\"r\":1}").pluginCall("other", "fn", "{\"a\":2}"));
        assertTrue(sent.get(sent.size() - 1).startsWith("plugin_call "), sent.toString());
        assertTrue(sent.get(sent.size() - 1).contains("\"args\":{\"a\":2}"), sent.toString());
        assertEquals("Hallo", host("{\"value\":\"Hallo\"}").translate("hello"));
        for (String line : sent) {
            assertTrue(HostCalls.ALL.contains(line.substring(0, line.indexOf(' '))), line);
        }
    }

    @Test
    void refusalsReachThePluginAsHostCallExceptions() {
        HostApi denied = new HostApi((call, json) -> {
            throw new HostCallException(HostCalls.DENIED, "table users is not allowed");
        });
        HostCallException e = assertThrows(HostCallException.class, () -> denied.dbQuery("SELECT * FROM users"));
        assertEquals(HostCalls.DENIED, e.code());
        assertThrows(HostCallException.class, () -> host("not json").cacheGet("k"));
    }

    @Test
    void bundlePluginsDispatchToTheirHandlers() throws Exception {
        BundlePlugin plugin = new BundlePlugin() {
            {
                handle("hello", args -> Map.of("greeting", "Hello, " + args.getOrDefault("name", "world")));
            }

            @Override
            protected PluginManifest manifest() {
                return new PluginManifest("hello", "1.0.0", null, null, null, null, null, null,
                        List.of(new PluginManifest.Route("GET", "/hello", "hello", null, null)), null, null, null,
                        null, null, null, null, null, null, null, null, null, null);
            }
        };
        assertEquals("{\"greeting\":\"Hello, GoatFlow\"}", plugin.call("hello", "{\"name\":\"GoatFlow\"}"));
        assertEquals("{\"ok\":true}", plugin.call(GoatPlugin.HEALTH_PING, "{}"));
        assertEquals("unknown_function", assertThrows(PluginCallException.class, () -> plugin.call("nope", "{}"))
                .code());
        assertEquals("invalid_arguments", assertThrows(PluginCallException.class, () -> plugin.call("hello", "[1]"))
                .code());
        assertEquals("hello", Manifests.parse(plugin.manifestJson()).name());
        assertThrows(IllegalStateException.class, plugin::host);
    }
}
