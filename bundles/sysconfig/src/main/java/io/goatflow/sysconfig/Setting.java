package io.goatflow.sysconfig;

/**
 * An effective setting: its value decoded from JSON (String, Number, Boolean, List, Map or null) and the tier it
 * came from.
 */
public record Setting(String name, Object value, Tier tier) {

    public enum Tier { DEFAULT, SYSTEM }
}
