package io.goatflow.sysconfig;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads application settings through the tiers user preference, organisation override, system override
 * ({@code sysconfig_modified}) and default ({@code sysconfig_default}); the first tier that has a value wins.
 * Values are read from the database each time (one query per lookup), so a change made on another instance is
 * seen at once.
 */
@ProviderType
public interface ConfigGet {

    /**
     * The setting system-wide (the system override, else the default), exactly as {@code setting(name,
     * ConfigScope.SYSTEM)}; empty when no such setting is defined (or it is invalid).
     */
    Optional<Setting> setting(String name);

    /**
     * The setting as {@code scope} sees it: the agent's own value, else the organisation's, else the system
     * override, else the default. Empty when no such setting is defined (or it is invalid).
     *
     * <p>The platform's implementation resolves all four tiers. This default exists so that stand-ins written as
     * a lambda of {@link #setting(String)} (tests) keep compiling; it knows no organisation or user values.
     */
    default Optional<Setting> setting(String name, ConfigScope scope) {
        return setting(name);
    }

    default Optional<String> string(String name) {
        return string(name, ConfigScope.SYSTEM);
    }

    default long number(String name, long fallback) {
        return number(name, ConfigScope.SYSTEM, fallback);
    }

    default boolean flag(String name, boolean fallback) {
        return flag(name, ConfigScope.SYSTEM, fallback);
    }

    /** The value for {@code scope} when it is a JSON string. */
    default Optional<String> string(String name, ConfigScope scope) {
        return setting(name, scope).map(Setting::value).map(v -> v instanceof String s ? s : null);
    }

    default String string(String name, ConfigScope scope, String fallback) {
        return string(name, scope).orElse(fallback);
    }

    default long number(String name, ConfigScope scope, long fallback) {
        return setting(name, scope).map(Setting::value).filter(Number.class::isInstance).map(Number.class::cast)
                .map(Number::longValue).orElse(fallback);
    }

    default boolean flag(String name, ConfigScope scope, boolean fallback) {
        return setting(name, scope).map(Setting::value).filter(Boolean.class::isInstance).map(Boolean.class::cast)
                .orElse(fallback);
    }
}
