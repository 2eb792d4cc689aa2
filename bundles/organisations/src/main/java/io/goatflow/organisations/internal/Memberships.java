package io.goatflow.organisations.internal;

import io.goatflow.organisations.Organisation;
import io.goatflow.rest.Caller;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which organisations an account may act in, from its memberships and the organisation tree: every organisation
 * it is a member of, and the descendants of those it administers or owns (a parent's administrators look after
 * its child organisations). Pure rules, so they are tested without a database.
 */
final class Memberships {
    static final Set<String> ROLES = Set.of("member", "admin", "owner");

    /** One membership row (or the implicit membership of a customer through its company). */
    record Membership(long orgId, String role, boolean isDefault) {
    }

    /** An organisation as the tree needs it. */
    record Node(long id, Long parentId, String status) {
    }

    /** An organisation the account may act in, and how it got there. */
    record Reach(long orgId, String role, boolean isDefault, boolean inherited) {
    }

    private Memberships() {
    }

    /** The organisations reachable through {@code memberships}, direct ones first, each once (strongest role). */
    static Map<Long, Reach> reachable(Collection<Membership> memberships, Collection<Node> tree) {
        Map<Long, Reach> result = new LinkedHashMap<>();
        for (Membership m : memberships) {
            Reach old = result.get(m.orgId());
            if (old == null || rank(m.role()) > rank(old.role()) || m.isDefault() && !old.isDefault()) {
                result.put(m.orgId(), new Reach(m.orgId(), old == null || rank(m.role()) > rank(old.role())
                        ? m.role() : old.role(), m.isDefault() || old != null && old.isDefault(), false));
            }
        }
        Map<Long, List<Long>> children = new LinkedHashMap<>();
        for (Node n : tree) {
            if (n.parentId() != null) {
                children.computeIfAbsent(n.parentId(), k -> new ArrayList<>()).add(n.id());
            }
        }
        Map<Long, String> status = new LinkedHashMap<>();
        tree.forEach(n -> status.put(n.id(), n.status()));
        for (Membership m : memberships) {
            // administrators of a suspended or archived organisation no longer look after its children
            if (rank(m.role()) < rank("admin") || !Organisation.ACTIVE.equals(status.get(m.orgId()))) {
                continue;
            }
            Deque<Long> todo = new ArrayDeque<>(children.getOrDefault(m.orgId(), List.of()));
            Set<Long> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                long child = todo.pop();
                if (!seen.add(child)) {
                    continue;
                }
                result.putIfAbsent(child, new Reach(child, m.role(), false, true));
                todo.addAll(children.getOrDefault(child, List.of()));
            }
        }
        return result;
    }

    /**
     * The organisation a request acts in; see {@link io.goatflow.rest.ActiveOrganisation#resolve}.
     *
     * @param status the status of each organisation by id
     */
    static long active(Map<Long, Reach> reachable, Map<Long, String> status, long requested) {
        if (reachable.isEmpty()) {
            return Caller.NO_ORG;
        }
        if (requested > 0 && reachable.containsKey(requested)
                && Organisation.ACTIVE.equals(status.get(requested))) {
            return requested;
        }
        // the default organisation, else the first one the account belongs to itself, else the first inherited one
        Long direct = null;
        Long inherited = null;
        for (Reach r : reachable.values()) {
            if (!Organisation.ACTIVE.equals(status.get(r.orgId()))) {
                continue;
            }
            if (r.isDefault()) {
                return r.orgId();
            }
            if (!r.inherited() && (direct == null || r.orgId() < direct)) {
                direct = r.orgId();
            } else if (r.inherited() && (inherited == null || r.orgId() < inherited)) {
                inherited = r.orgId();
            }
        }
        return direct != null ? direct : inherited != null ? inherited : Caller.LOCKED_OUT;
    }

    /** Whether making {@code parent} the parent of {@code id} would close a loop. */
    static boolean wouldLoop(long id, Long parent, Map<Long, Long> parents) {
        Set<Long> seen = new HashSet<>();
        for (Long p = parent; p != null; p = parents.get(p)) {
            if (p == id || !seen.add(p)) {
                return true;
            }
        }
        return false;
    }

    private static int rank(String role) {
        return switch (role == null ? "" : role) {
            case "owner" -> 3;
            case "admin" -> 2;
            case "member" -> 1;
            default -> 0;
        };
    }
}
