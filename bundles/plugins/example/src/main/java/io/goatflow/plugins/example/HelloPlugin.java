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
 * The example plugin: {@code GET /api/plugins/hello/greeting?name=…} greets the caller, {@code GET
 * /api/plugins/hello/greeting/{name}} greets someone by path, and a dashboard widget shows the host's time. It uses
 * only the plugin API: a {@link BundlePlugin} registered as a {@link GoatPlugin} service.
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
            null,
            List.of(new PluginManifest.Widget("hello_clock", "Hello", "The host's time", "clock", "dashboard",
                    "small", 10, true, 60)),
            null, null, null,
            List.of(new PluginManifest.ErrorCode("bad_name", "Names are at most 40 characters", 400)),
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
            return Map.of("error", "Names are at most 40 characters", "code", "bad_name", "status", 400);
        }
        host().log("info", "greeted " + name, Map.of());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("greeting", "Hello, " + name + "!");
        result.put("caller", args.get("_user_login"));
        return result;
    }
}
