package io.goatflow.pluginhost.internal;

/** What the gk:plugin-* commands share. */
final class ShellSupport {
    /** Changes made from the Karaf console are recorded as the system user (id 1, as in OTRS). */
    static final long SYSTEM_USER = 1L;

    private ShellSupport() {
    }

    static Object setEnabled(PluginHost host, String name, boolean enabled) {
        PluginHost.Entry e = host.get(name).orElse(null);
        if (e == null) {
            System.err.println("No plugin named " + name);
            return null;
        }
        if (e.status != PluginHost.Status.LOADED) {
            System.err.println("Plugin " + name + " is not loaded: " + e.reason);
            return null;
        }
        host.setEnabled(name, enabled, SYSTEM_USER);
        System.out.println("Plugin " + name + " " + (enabled ? "enabled" : "disabled"));
        return null;
    }
}
