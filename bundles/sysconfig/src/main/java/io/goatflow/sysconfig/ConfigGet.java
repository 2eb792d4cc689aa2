package io.goatflow.sysconfig;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads application settings through the tiers user preference, organisation override, system override
 * ({@code sysconfig_modified}) and default ({@code sysconfig_default}); the first tier that has a value wins.
 * This release resolves the system and default tiers; the organisation and user tiers arrive with those areas
 * without changing callers. Values are read from the database each time, so a change made on another instance
 * is seen at once.
 */
@ProviderType
public interface ConfigGet {

    /** The effective setting, or empty when no such setting is defined (or it is invalid). */
    Optional<Setting> setting(String name);

    default Optional<String> string(String name) {
        return setting(name).map(Setting::value).map(v -> v instanceof String s ? s : null);
    }

    default long number(String name, long fallback) {
        return setting(name).map(Setting::value).filter(Number.class::isInstance).map(Number.class::cast)
                .map(Number::longValue).orElse(fallback);
    }

    default boolean flag(String name, boolean fallback) {
        return setting(name).map(Setting::value).filter(Boolean.class::isInstance).map(Boolean.class::cast)
                .orElse(fallback);
    }
}
