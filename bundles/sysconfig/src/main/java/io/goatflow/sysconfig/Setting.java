package io.goatflow.sysconfig;

import java.util.Locale;

/**
 * An effective setting: its value decoded from JSON (String, Number, Boolean, List, Map or null) and the tier it
 * came from.
 */
public record Setting(String name, Object value, Tier tier) {

    /**
     * Where a value comes from, from the weakest to the strongest: {@code USER} (an agent's own value) beats
     * {@code ORG} (the caller's organisation) beats {@code SYSTEM} (the admin's override) beats {@code DEFAULT}.
     */
    public enum Tier {
        DEFAULT, SYSTEM, ORG, USER;

        /** The lower-case name the REST API reports as {@code source}: default, system, org, user. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
