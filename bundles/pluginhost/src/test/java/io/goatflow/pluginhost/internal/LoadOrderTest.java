package io.goatflow.pluginhost.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.plugin.api.PluginManifest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadOrderTest {
    private static PluginManifest plugin(String name, String version, String... requires) {
        List<PluginManifest.Requirement> r = Arrays.stream(requires).map(s -> s.split("@"))
                .map(p -> new PluginManifest.Requirement(p[0], p.length > 1 ? p[1] : "*")).toList();
        return new PluginManifest(name, version, null, null, null, null, r, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    private static Map<String, PluginManifest> plugins(PluginManifest... manifests) {
        Map<String, PluginManifest> m = new HashMap<>();
        for (PluginManifest p : manifests) {
            m.put(p.name(), p);
        }
        return m;
    }

    @Test
    void requirementsLoadFirst() {
        LoadOrder.Result r = LoadOrder.of(plugins(plugin("stats", "1.0.0", "charts@^2.0.0", "core-data"),
                plugin("charts", "2.3.0", "core-data"), plugin("core-data", "1.0.0"), plugin("alone", "0.1.0")));
        assertEquals(List.of("alone", "core-data", "charts", "stats"), r.order());
        assertTrue(r.refused().isEmpty());
    }

    @Test
    void aCycleIsRefusedWithItsPath() {
        LoadOrder.Result r = LoadOrder.of(plugins(plugin("a-one", "1.0.0", "b-two"), plugin("b-two", "1.0.0", "c-three"),
                plugin("c-three", "1.0.0", "a-one"), plugin("fine", "1.0.0")));
        assertEquals(List.of("fine"), r.order());
        assertEquals("dependency cycle a-one -> b-two -> c-three -> a-one", r.refused().get("a-one"));
        assertTrue(r.refused().get("c-three").contains("a-one -> b-two -> c-three -> a-one"), r.refused().toString());
    }

    @Test
    void missingAndIncompatibleRequirementsAreReportedAndPropagate() {
        LoadOrder.Result r = LoadOrder.of(plugins(plugin("needs-ghost", "1.0.0", "ghost"),
                plugin("old-charts", "1.0.0"), plugin("stats", "1.0.0", "old-charts@^2.0.0"),
                plugin("top", "1.0.0", "needs-ghost")));
        assertEquals(List.of("old-charts"), r.order());
        assertEquals("requires plugin 'ghost', which is not installed", r.refused().get("needs-ghost"));
        assertEquals("requires old-charts ^2.0.0, but 1.0.0 is installed", r.refused().get("stats"));
        assertTrue(r.refused().get("top").startsWith("requires 'needs-ghost', which cannot load"), r.refused().get("top"));
    }
}
