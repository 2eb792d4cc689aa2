package io.goatflow.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One plugin, whatever its runtime: a bundle registers an implementation as an OSGi service (usually by extending
 * {@link BundlePlugin}), the WASM runtime wraps each module in one. Everything a plugin does for the host
 * (routes, widgets, jobs, cascades, MCP tools, the health ping) is a {@link #call}.
 */
@ConsumerType
public interface GoatPlugin {

    /** The function name the supervisor calls to check that a plugin is alive. */
    String HEALTH_PING = "__health_ping__";

    /** The plugin's manifest as JSON ({@link PluginManifest}; checked by {@link Manifests#parse}). */
    String manifestJson();

    /** Called once after the manifest is accepted, with the plugin's own host API (its sandbox and identity). */
    default void init(HostApi host) {
    }

    /**
     * Calls an exported function with JSON arguments and returns its JSON result. Calls may arrive concurrently.
     *
     * @throws PluginCallException when the plugin reports an error or does not know the function
     */
    String call(String function, String jsonArgs) throws PluginCallException;

    /** Called before the plugin is unloaded or replaced; should return within the shutdown timeout. */
    default void shutdown() {
    }
}
