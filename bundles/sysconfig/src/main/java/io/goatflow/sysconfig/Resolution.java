package io.goatflow.sysconfig;

import java.util.List;
import java.util.Optional;

/**
 * How one setting resolves for one scope: the value of every tier that has one, strongest first (so the first is
 * the one that wins and the last is always the default), and the setting's rules. For admin pages that show where
 * a value comes from.
 *
 * @param tiers the tiers holding a value for this scope, ordered USER, ORG, SYSTEM, DEFAULT; never empty
 * @param readonly no tier may override the default
 * @param userModifiable agents may set their own value (OTRS {@code user_modification_possible})
 */
public record Resolution(String name, ConfigScope scope, List<TierValue> tiers, boolean readonly,
        boolean userModifiable) {

    public Resolution {
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty() || tiers.get(tiers.size() - 1).tier() != Setting.Tier.DEFAULT) {
            throw new IllegalArgumentException("A resolution ends with the default tier");
        }
    }

    /** The tier whose value wins. */
    public Setting.Tier source() {
        return tiers.get(0).tier();
    }

    /** The effective value. */
    public Object value() {
        return tiers.get(0).value();
    }

    public Object defaultValue() {
        return tiers.get(tiers.size() - 1).value();
    }

    /** What {@code tier} holds for this scope, if anything. */
    public Optional<TierValue> tier(Setting.Tier tier) {
        return tiers.stream().filter(t -> t.tier() == tier).findFirst();
    }

    /** The effective setting, as {@link ConfigGet#setting(String, ConfigScope)} returns it. */
    public Setting setting() {
        return new Setting(name, value(), source());
    }
}
