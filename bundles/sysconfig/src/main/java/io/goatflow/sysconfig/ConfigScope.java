package io.goatflow.sysconfig;

/**
 * For whom a setting is resolved: the organisation the caller acts in and, for agents, the agent. {@code 0} means
 * none, so {@link #SYSTEM} sees only the system override and the default.
 *
 * <p>Only agents have a user tier (OTRS's user-specific values are rows of {@code sysconfig_modified} keyed by
 * {@code users.id}). Customers are resolved with {@link #org(long)}: a customer id is never an agent id, so putting
 * one into {@code agentId} would read another person's preferences.
 */
public record ConfigScope(long orgId, long agentId) {

    /** No organisation, no agent: the system override, else the default. */
    public static final ConfigScope SYSTEM = new ConfigScope(0, 0);

    public ConfigScope {
        if (orgId < 0 || agentId < 0) {
            throw new IllegalArgumentException("Organisation and agent ids are 0 (none) or positive: " + orgId
                    + ", " + agentId);
        }
    }

    /** An organisation (and no user tier): organisation-wide reads, and customers of that organisation. */
    public static ConfigScope org(long orgId) {
        return new ConfigScope(orgId, 0);
    }

    /** An agent acting in {@code orgId} (0 when the agent acts in no organisation). */
    public static ConfigScope agent(long orgId, long agentId) {
        return new ConfigScope(orgId, agentId);
    }

    public boolean hasOrg() {
        return orgId != 0;
    }

    public boolean hasAgent() {
        return agentId != 0;
    }
}
