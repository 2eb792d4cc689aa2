package io.goatflow.plugin.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The raw host-call channel of one plugin: a wire name and JSON arguments in, JSON out. The host gives each plugin
 * its own channel (its sandbox, its identity); WASM modules reach the same channel through the {@code host_call}
 * import. Bundle plugins normally use the typed {@link HostApi} over it.
 */
@ProviderType
public interface HostCallChannel {

    /** @throws HostCallException when the call is refused or fails */
    String invoke(String call, String jsonArgs);
}
