package io.goatflow.plugin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One plugin, whatever its runtime: a bundle registers an implementation as an OSGi service, the WASM runtime
 * wraps each module in one. Everything a plugin does for the host (routes, widgets, jobs, the health ping) is a
 * {@link #call}.
 */
@ConsumerType
public interface GoatPlugin {

    /** The function name the supervisor calls to check that a plugin is alive. */
    String HEALTH_PING = "__health_ping__";

    /** The plugin's manifest as JSON (name, version, requires, routes, ...). */
    String manifestJson();

    /**
     * Calls an exported function with JSON arguments and returns its JSON result.
     *
     * @throws PluginCallException when the plugin reports an error or does not know the function
     */
    String call(String function, String jsonArgs) throws PluginCallException;
}
