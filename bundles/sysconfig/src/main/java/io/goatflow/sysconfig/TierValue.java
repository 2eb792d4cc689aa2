package io.goatflow.sysconfig;

import java.time.Instant;

/**
 * The value one tier holds for a setting, decoded from JSON, with when and by whom it was last set ({@code
 * changedBy} is an agent id; for the default, whoever defined or last changed the default).
 */
public record TierValue(String name, Setting.Tier tier, Object value, Instant changedAt, long changedBy) {
}
