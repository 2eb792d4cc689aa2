package io.goatflow.pluginhost.internal;

import io.goatflow.plugin.api.PluginManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one plugin may touch, read from the permissions its manifest requests: tables it may read and write,
 * whether it may use the cache, the HTTP hosts it may reach, whether it may send email and to which recipient
 * domains (none listed: any), and the plugins it may call (those it {@code requires} and those a
 * {@code plugin_call} permission names). Nothing is granted that the manifest does not ask for.
 */
record PluginPolicy(List<String> readTables, List<String> writeTables, boolean cache, List<String> httpHosts,
        boolean email, List<String> emailDomains, List<String> pluginCalls) {

    /** A policy that grants nothing. */
    static PluginPolicy none() {
        return new PluginPolicy(List.of(), List.of(), false, List.of(), false, List.of(), List.of());
    }

    static PluginPolicy of(PluginManifest manifest) {
        List<String> read = new ArrayList<>();
        List<String> write = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        manifest.requires().forEach(r -> calls.add(r.name()));
        boolean cache = false;
        boolean email = false;
        PluginManifest.ResourceRequest resources = manifest.resources();
        if (resources != null && resources.permissions() != null) {
            for (PluginManifest.PermissionRequest p : resources.permissions()) {
                String type = p.type() == null ? "" : p.type().toLowerCase(Locale.ROOT);
                String access = p.access() == null ? "read" : p.access().toLowerCase(Locale.ROOT);
                List<String> scope = p.scope() == null ? List.of() : p.scope().stream()
                        .map(s -> s.toLowerCase(Locale.ROOT).trim()).filter(s -> !s.isEmpty()).toList();
                switch (type) {
                    case "db" -> {
                        if (access.contains("read")) {
                            read.addAll(scope);
                        }
                        if (access.contains("write")) {
                            write.addAll(scope);
                        }
                    }
                    case "cache" -> cache = true;
                    case "http" -> hosts.addAll(scope);
                    case "email" -> {
                        email = true;
                        domains.addAll(scope);
                    }
                    case "plugin_call" -> calls.addAll(scope);
                    default -> {
                        // config keys are checked against the host's deny-list for every plugin
                    }
                }
            }
        }
        return new PluginPolicy(List.copyOf(read), List.copyOf(write), cache, List.copyOf(hosts), email,
                List.copyOf(domains), List.copyOf(calls));
    }

    /** {@code pattern} is a name, or a prefix ending in {@code *}. */
    static boolean matches(List<String> patterns, String name) {
        for (String p : patterns) {
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
