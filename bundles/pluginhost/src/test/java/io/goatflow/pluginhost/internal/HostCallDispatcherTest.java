package io.goatflow.pluginhost.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.plugin.api.HostApi;
import io.goatflow.plugin.api.HostCallException;
import io.goatflow.plugin.api.HostCalls;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.Setting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostCallDispatcherTest {
    private static final io.goatflow.plugin.api.PluginManifest STATS;

    static {
        try {
            STATS = io.goatflow.plugin.api.Manifests.parse("{\"name\":\"stats\",\"version\":\"1.0.0\","
                    + "\"i18n\":{\"namespace\":\"stats\",\"languages\":[\"en\",\"de\"],\"translations\":{"
                    + "\"en\":{\"greeting\":\"Hello, {0}!\",\"count\":\"{n} open\",\"only.en\":\"English\"},"
                    + "\"de\":{\"greeting\":\"Hallo, {0}!\",\"count\":\"{n} offen\"}}}}");
        } catch (io.goatflow.plugin.api.ManifestException e) {
            throw new IllegalStateException(e);
        }
    }

    private final PluginLogs logs = new PluginLogs();
    private final ConfigGet config = name -> Optional.of(new Setting(name, "value of " + name, Setting.Tier.DEFAULT));
    private final HostCallDispatcher[] self = new HostCallDispatcher[1];
    private final HostCallDispatcher dispatcher = new HostCallDispatcher(logs, () -> config,
            new HostCallDispatcher.Plugins() {
                @Override
                public String call(String caller, String plugin, String function, String args, int depth) {
                    // a plugin that calls itself again through the host: recursion the depth limit must stop
                    return new HostApi(self[0].channelFor(plugin)).pluginCall(plugin, function, args);
                }

                @Override
                public PluginPolicy policy(String plugin) {
                    return new PluginPolicy(List.of("ticket"), List.of(), false, List.of("api.example.com",
                            "*.trusted.test"), false, List.of(), List.of("friend"));
                }

                @Override
                public io.goatflow.plugin.api.PluginManifest manifest(String plugin) {
                    return "stats".equals(plugin) ? STATS : null;
                }

                @Override
                public boolean foreignTable(String plugin, String table) {
                    return false;
                }
            }, null, () -> null, () -> null, () -> null);

    {
        self[0] = dispatcher;
    }

    @Test
    void secretsAndInfrastructureSettingsAreNeverReadable() {
        HostApi host = new HostApi(dispatcher.channelFor("stats"));
        assertEquals("value of Ticket::Frontend::Theme", host.configGet("Ticket::Frontend::Theme").orElseThrow().asText());
        for (String key : List.of("SMTP::Password", "Database::URL", "OAuth2::ClientSecret", "GitHub::Token",
                "AWS::Region", "Secure::Key", "LDAP::Host")) {
            HostCallException e = assertThrows(HostCallException.class, () -> host.configGet(key), key);
            assertEquals(HostCalls.DENIED, e.code());
        }
        assertTrue(logs.of("stats").stream().anyMatch(l -> l.message().contains("SMTP::Password")));
    }

    @Test
    void callsOfAreasNotBuiltYetAndUnknownCallsAreClearErrors() {
        HostApi host = new HostApi(dispatcher.channelFor("stats"));
        assertEquals(HostCalls.NOT_AVAILABLE, assertThrows(HostCallException.class,
                () -> host.dbQuery("SELECT 1")).code());
        assertEquals(HostCalls.UNKNOWN_CALL, assertThrows(HostCallException.class,
                () -> host.call("format_disk", "{}")).code());
        assertEquals(HostCalls.INVALID_ARGUMENTS, assertThrows(HostCallException.class,
                () -> host.call("log", "[1]")).code());
        host.log("warn", "careful", Map.of("n", 1));
        assertTrue(logs.of("stats").stream().anyMatch(l -> l.level().equals("warn") && l.message().contains("careful")));
    }

    @Test
    void pluginCallsStopAtDepthTen() {
        HostApi host = new HostApi(dispatcher.channelFor("loop"));
        HostCallException e = assertThrows(HostCallException.class, () -> host.pluginCall("loop", "again", "{}"));
        assertEquals(HostCalls.DENIED, e.code());
        assertTrue(e.getMessage().contains("depth 10"), e.getMessage());
        assertEquals(0, dispatcher.depth());
    }

    @Test
    void pluginCallsReachOnlyRequiredOrGrantedPlugins() {
        HostApi host = new HostApi(dispatcher.channelFor("stats"));
        HostCallException stranger = assertThrows(HostCallException.class,
                () -> host.pluginCall("stranger", "fn", "{}"));
        assertEquals(HostCalls.DENIED, stranger.code());
        assertTrue(stranger.getMessage().contains("'stranger'"), stranger.getMessage());
        // 'friend' is granted: the call goes through (and the fake friend recurses into the depth limit)
        HostCallException friend = assertThrows(HostCallException.class, () -> host.pluginCall("friend", "fn", "{}"));
        assertTrue(friend.getMessage().contains("depth 10"), friend.getMessage());
    }

    @Test
    void mailNeedsTheEmailPermissionAndAConfiguredServer() {
        // the policy of this test grants no email permission
        HostCallException denied = assertThrows(HostCallException.class,
                () -> new HostApi(dispatcher.channelFor("stats")).sendEmail("a@example.test", "s", "b", false));
        assertEquals(HostCalls.DENIED, denied.code());
        assertTrue(denied.getMessage().contains("no email permission"), denied.getMessage());
    }

    @Test
    void translateUsesThePluginsOwnTextsWithFallbacks() {
        HostApi host = new HostApi(dispatcher.channelFor("stats"));
        assertEquals("Hello, Ana!", host.translate("greeting", "Ana"));
        assertEquals("Hallo, Ana!", host.call(HostCalls.TRANSLATE,
                "{\"key\":\"stats.greeting\",\"args\":[\"Ana\"],\"lang\":\"de-AT\"}").replaceAll(".*\"value\":\"([^\"]*)\".*", "$1"));
        assertTrue(host.call(HostCalls.TRANSLATE, "{\"key\":\"count\",\"args\":{\"n\":3},\"lang\":\"de\"}")
                .contains("3 offen"));
        assertTrue(host.call(HostCalls.TRANSLATE, "{\"key\":\"only.en\",\"lang\":\"de\"}").contains("English"));
        assertEquals("no.such.key", host.translate("no.such.key"));
        assertEquals(HostCalls.INVALID_ARGUMENTS, assertThrows(HostCallException.class,
                () -> host.call(HostCalls.TRANSLATE, "{}")).code());
    }

    @Test
    void outboundHttpIsLimitedToTheManifestHosts() {
        assertTrue(HttpCalls.hostAllowed(List.of("api.example.com", "*.trusted.test"), "API.example.com"));
        assertTrue(HttpCalls.hostAllowed(List.of("*.trusted.test"), "a.b.trusted.test"));
        assertFalse(HttpCalls.hostAllowed(List.of("*.trusted.test"), "trusted.test.evil.com"));
        assertFalse(HttpCalls.hostAllowed(List.of("api.example.com"), "example.com"));
        HostApi host = new HostApi(dispatcher.channelFor("stats"));
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://127.0.0.1:8181/api/v1/users",
                "file:///etc/passwd", "http://user:pw@api.example.com/", "gopher://api.example.com/",
                "http://api.example.com.evil.com/")) {
            HostCallException e = assertThrows(HostCallException.class,
                    () -> host.call(HostCalls.HTTP_REQUEST, "{\"url\":\"" + url + "\"}"), url);
            assertEquals(HostCalls.DENIED, e.code(), url);
        }
        HostCallException cache = assertThrows(HostCallException.class,
                () -> host.call(HostCalls.CACHE_GET, "{\"key\":\"k\"}"));
        assertEquals(HostCalls.DENIED, cache.code());
    }
}
