package io.goatflow.sysconfig;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The organisation and user tiers of settings, and where a value comes from. Every write follows the rules of the
 * system tier: the value must have the JSON type of the default (whole numbers stay whole) and read-only settings
 * take no value on any tier. Each write publishes {@code config.changed} with {@code tier} ({@code org} or
 * {@code user}) and {@code org_id} or {@code user_id}.
 *
 * <p>Failures are {@link io.goatflow.rest.ApiException}s, so REST resources can let them through: 404
 * {@code NOT_FOUND} for an unknown setting, and {@link SettingRefusedException} for a broken rule.
 */
@ProviderType
public interface ScopedConfig {

    /** Every tier's value of {@code name} for {@code scope} and which one wins; empty when no such setting. */
    Optional<Resolution> resolution(String name, ConfigScope scope);

    /**
     * Sets the organisation's value of {@code name}.
     *
     * @param orgId a positive organisation id
     * @param changedBy the agent making the change
     * @return the setting as the organisation now sees it (no user tier)
     */
    Resolution setOrgValue(long orgId, String name, Object value, long changedBy);

    /** Drops the organisation's value, so the system override or the default applies to it again. Idempotent. */
    Resolution resetOrgValue(long orgId, String name, long changedBy);

    /** The values the organisation has set, ordered by setting name. */
    List<TierValue> orgValues(long orgId);

    /**
     * Sets the agent's own value of {@code name}, allowed for settings defined user-modifiable only
     * ({@link SettingRefusedException#NOT_USER_MODIFIABLE}).
     *
     * @param scope the agent (positive {@code agentId}) and the organisation it acts in, which decides what the
     *        returned resolution shows beneath the agent's value
     * @return the setting as the agent now sees it
     */
    Resolution setAgentValue(ConfigScope scope, String name, Object value);

    /** Drops the agent's own value, so the organisation's, system or default value applies again. Idempotent. */
    Resolution resetAgentValue(ConfigScope scope, String name);
}
