package io.goatflow.plugins.example;

import io.goatflow.plugin.api.BundlePlugin;
import io.goatflow.plugin.api.GoatPlugin;
import io.goatflow.plugin.api.PluginCallException;
import io.goatflow.plugin.api.PluginManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The example plugin: {@code GET /api/plugins/hello/greeting?name=…} greets the caller in their language, {@code GET
 * /api/plugins/hello/greeting/{name}} greets someone by path, a dashboard widget shows the host's time and an agent
 * menu item links to the greeting; texts come in English and German, and a too-long name is a declared error code.
 * It uses only the plugin API: a {@link BundlePlugin} registered as a {@link GoatPlugin} service.
 */
@Component(service = GoatPlugin.class)
public final class HelloPlugin extends BundlePlugin {
    static final PluginManifest MANIFEST = new PluginManifest("hello", "1.0.0",
            "Greets callers; the template of the plugin guide", "GoatFlow", "Apache-2.0", "https://goatflow.io",
            null, "0.1.0",
            List.of(new PluginManifest.Route("GET", "/greeting", "greet", List.of("auth"), "Greets the caller"),
                    new PluginManifest.Route("GET", "/greeting/{name}", "greet", List.of("auth"),
                            "Greets someone by name"),
                    new PluginManifest.Route("POST", "/echo", "echo", List.of("admin"), "Echoes the body")),
            List.of(new PluginManifest.MenuItem("hello", "hello.menu", "hand-wave", "/api/plugins/hello/greeting",
                    "agent", null, 50, null)),
            List.of(new PluginManifest.Widget("hello_clock", "hello.widget.clock", "hello.widget.clock.help", "clock",
                    "dashboard", "small", 10, true, 60)),
            null, null,
            new PluginManifest.I18n("hello", List.of("en", "de"), Map.of(
                    "en", Map.of("menu", "Hello", "widget.clock", "Clock", "widget.clock.help", "The host's time",
                            "greeting", "Hello, {0}!", "error.bad_name", "Names are at most 40 characters"),
                    "de", Map.of("menu", "Hallo", "widget.clock", "Uhr", "widget.clock.help", "Die Zeit des Servers",
                            "greeting", "Hallo, {0}!", "error.bad_name", "Namen haben höchstens 40 Zeichen"))),
            List.of(new PluginManifest.ErrorCode("bad_name", "hello.error.bad_name", 400)),
            null, null, null, null, null, null, null);

    public HelloPlugin() {
        handle("greet", this::greet);
        handle("echo", args -> Map.of("you_sent", args.getOrDefault("_body", Map.of())));
        handle("clock", args -> Map.of("now", host().timeNow().toString()));
    }

    @Override
    protected PluginManifest manifest() {
        return MANIFEST;
    }

    private Object greet(Map<String, Object> args) throws PluginCallException {
        Object fromPath = args.get("_params") instanceof Map<?, ?> params ? params.get("name") : null;
        Object fromQuery = args.get("_query") instanceof Map<?, ?> query ? query.get("name") : null;
        String name = String.valueOf(fromPath != null ? fromPath : fromQuery != null ? fromQuery
                : args.getOrDefault("_user_login", "world"));
        if (name.length() > 40) {
            // declared in error_codes: the host answers 400 with the message in the caller's language
            throw new PluginCallException("bad_name", "name too long");
        }
        host().log("info", "greeted " + name, Map.of());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("greeting", host().translateTo(String.valueOf(args.getOrDefault("_lang", "en")), "greeting",
                name));
        result.put("caller", args.get("_user_login"));
        return result;
    }
}
