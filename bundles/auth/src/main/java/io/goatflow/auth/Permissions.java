package io.goatflow.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * OTRS group permissions of agents: held directly ({@code group_user}) or through a valid role ({@code role_user} +
 * {@code group_role}), on valid groups only. {@code rw} includes every other key. Queues belong to a group, so
 * "may the agent move this ticket" is "does the agent hold move_into on the target queue's group".
 */
@ProviderType
public interface Permissions {
    String RO = "ro";
    String MOVE_INTO = "move_into";
    String CREATE = "create";
    String NOTE = "note";
    String OWNER = "owner";
    String PRIORITY = "priority";
    String RW = "rw";
    /** Every permission key, in OTRS order. */
    List<String> KEYS = List.of(RO, MOVE_INTO, CREATE, NOTE, OWNER, PRIORITY, RW);

    /** Ids of the groups in which the agent holds {@code permission} (or rw). */
    Set<Long> groupsWith(long agentId, String permission);

    /**
     * Every permission of the agent at once: for each key of {@link #KEYS}, the groups in which the agent holds it
     * (rw counts for every key). One read, for callers that check several permissions in one request.
     */
    Map<String, Set<Long>> groupsByPermission(long agentId);

    /** Whether the agent holds {@code permission} (or rw) in the valid group of that name. */
    boolean hasInGroupNamed(long agentId, String groupName, String permission);

    /** Whether the agent holds {@code permission} (or rw) in the group. */
    default boolean has(long agentId, long groupId, String permission) {
        return groupsWith(agentId, permission).contains(groupId);
    }
}
