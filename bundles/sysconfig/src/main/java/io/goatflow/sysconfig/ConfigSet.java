package io.goatflow.sysconfig;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes application settings from code: areas whose settings are only known at run time (one per plugin, for
 * example) declare them with {@link #define} and change them with {@link #set}. The admin API shows and changes
 * them like any other setting; {@link ConfigGet} reads them. Organisation and user values are written through
 * {@link ScopedConfig}.
 */
@ProviderType
public interface ConfigSet {

    /**
     * Declares a setting with its default when it does not exist yet. Idempotent, and safe when several
     * instances define the same setting at once; an existing setting keeps its default and override.
     * Agents cannot set their own value of it (see the five-argument form).
     */
    void define(String name, String description, String navigation, Object defaultValue);

    /**
     * As {@link #define(String, String, String, Object)}; with {@code userModifiable} agents may also set their
     * own value of it (OTRS {@code user_modification_possible}), which then wins over every other tier for them.
     * An existing setting is left as it is, this flag included.
     */
    void define(String name, String description, String navigation, Object defaultValue, boolean userModifiable);

    /**
     * Sets the system override of an existing setting.
     *
     * @throws IllegalArgumentException when there is no such setting, it is read-only, or the value has another
     *         JSON type than the default
     */
    void set(String name, Object value, long userId);
}
