package io.goatflow.tickets.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import java.util.Map;
import java.util.Set;

/**
 * What one caller may do, read once before a request's transaction opens (so a transaction never waits for a
 * second pool connection): the agent's groups per permission key, or the customer's identity, and the settings
 * that decide customer visibility.
 */
final class Access {
    final Caller caller;
    /** Null for agents when the request needs none (reads); see {@code DatabaseTicketService.access}. */
    final TicketSettings settings;
    private final Map<String, Set<Long>> groups;

    Access(Caller caller, TicketSettings settings, Map<String, Set<Long>> groups) {
        this.caller = caller;
        this.settings = settings;
        this.groups = groups;
    }

    boolean has(long groupId, String permission) {
        return caller.isAgent() && groups.getOrDefault(permission, Set.of()).contains(groupId);
    }

    Set<Long> groupsWith(String permission) {
        return caller.isAgent() ? groups.getOrDefault(permission, Set.of()) : Set.of();
    }

    /** A visible ticket the caller may not change this way: 403 naming the permission. */
    void require(long groupId, String permission, String what) {
        if (!has(groupId, permission)) {
            throw new ApiException(403, "PERMISSION_DENIED", "You need the '" + permission
                    + "' permission on this queue to " + what);
        }
    }

    boolean maySee(TicketRows.Row row) {
        return maySee(row.ticket().customerUserId(), row.ticket().customerId(), row.groupId(), row.orgId());
    }

    /** Tickets of another organisation than the caller's active one do not exist for the caller. */
    boolean maySee(String customerUserId, String customerId, long groupId, long orgId) {
        if (orgId != caller.orgId()) {
            return false;
        }
        if (caller.isCustomer()) {
            if (caller.login().equals(customerUserId)) {
                return true;
            }
            return settings.customerCompanyTickets() && caller.customerId() != null
                    && !caller.customerId().isEmpty() && caller.customerId().equals(customerId);
        }
        return has(groupId, Permissions.RO);
    }
}
