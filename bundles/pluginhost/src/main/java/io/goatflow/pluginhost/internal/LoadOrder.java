package io.goatflow.pluginhost.internal;

import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.plugin.api.SemanticVersion;
import io.goatflow.plugin.api.VersionRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Orders plugins so that each loads after the plugins it requires (a depth-first topological sort, stable by name).
 * A cycle is refused with its path named ({@code a -> b -> a}); a missing or incompatible requirement keeps the
 * plugin (and whatever needs it) from loading, with the reason.
 */
final class LoadOrder {
    /** The order to load in, and the plugins that cannot load with the reason for each. */
    record Result(List<String> order, Map<String, String> refused) {
    }

    private LoadOrder() {
    }

    static Result of(Map<String, PluginManifest> plugins) {
        Map<String, PluginManifest> byName = new TreeMap<>(plugins);
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, Integer> state = new TreeMap<>(); // 1 = visiting, 2 = done
        for (String name : byName.keySet()) {
            visit(name, byName, state, new ArrayList<>(), order, refused);
        }
        return new Result(List.copyOf(order), refused);
    }

    private static boolean visit(String name, Map<String, PluginManifest> plugins, Map<String, Integer> state,
            List<String> path, List<String> order, Map<String, String> refused) {
        if (refused.containsKey(name)) {
            return false;
        }
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return true;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            String message = "dependency cycle " + String.join(" -> ", cycle);
            for (String member : cycle) {
                refused.putIfAbsent(member, message);
            }
            return false;
        }
        state.put(name, 1);
        path.add(name);
        boolean ok = true;
        for (PluginManifest.Requirement r : plugins.get(name).requires()) {
            PluginManifest needed = plugins.get(r.name());
            if (needed == null) {
                refused.putIfAbsent(name, "requires plugin '" + r.name() + "', which is not installed");
                ok = false;
                continue;
            }
            VersionRange range = VersionRange.parse(r.version() == null ? "*" : r.version());
            if (!range.includes(SemanticVersion.parse(needed.version()))) {
                refused.putIfAbsent(name, "requires " + r.name() + " " + range + ", but " + needed.version()
                        + " is installed");
                ok = false;
                continue;
            }
            if (!visit(r.name(), plugins, state, path, order, refused)) {
                refused.putIfAbsent(name, "requires '" + r.name() + "', which cannot load: "
                        + refused.get(r.name()));
                ok = false;
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        if (ok && !refused.containsKey(name)) {
            order.add(name);
            return true;
        }
        return false;
    }
}
