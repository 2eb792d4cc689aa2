package io.goatflow.organisations;

import io.goatflow.rest.Caller;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What other areas ask the organisations area. */
@ProviderType
public interface Organisations {

    /** The organisation, or empty when there is none with that id. */
    Optional<Organisation> get(long id);

    /**
     * Whether the caller may use a plugin in the organisation it acts in: yes when that organisation limits no
     * plugins (or the caller acts in none); otherwise when a grant names the plugin for every member or for a group
     * the caller holds ro in. A null caller is the platform itself.
     */
    boolean mayUsePlugin(Caller caller, String plugin);
}
