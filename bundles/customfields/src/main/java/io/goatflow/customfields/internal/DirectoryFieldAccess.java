package io.goatflow.customfields.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.Caller;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for directory entities (agents, contacts, groups, queues, organisations), shared by their access
 * components: which ids exist, and which of them an agent or customer may see. Only administrators change their
 * fields, except that agents may change their own.
 */
final class DirectoryFieldAccess {
    enum Kind { AGENT, CONTACT, GROUP, QUEUE, ORGANISATION }

    private DirectoryFieldAccess() {
    }

    static Set<Long> readable(Database database, Permissions permissions, Kind kind, Caller caller,
            Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        // id and the column the rules need (a queue's group), for the ids that exist
        Map<Long, Long> existing = byId(database, kind, ids);
        if (caller == null || (caller.isAgent() && caller.admin())) {
            return existing.keySet();
        }
        Set<Long> result = new HashSet<>();
        switch (kind) {
            case AGENT -> {
                if (caller.isAgent()) {
                    result.addAll(existing.keySet());
                }
            }
            case CONTACT -> {
                if (caller.isAgent()) {
                    result.addAll(existing.keySet());
                } else {
                    Long own = database.inTransaction(c -> Jdbc.rows(c, "SELECT id FROM customer_user WHERE login = ?",
                            Jdbc.params(caller.login())).stream().map(r -> ((Number) r.get("id")).longValue())
                            .findFirst().orElse(null));
                    if (own != null && existing.containsKey(own)) {
                        result.add(own);
                    }
                }
            }
            case GROUP -> {
                if (caller.isAgent()) {
                    Set<Long> member = new HashSet<>();
                    permissions.groupsByPermission(caller.id()).values().forEach(member::addAll);
                    existing.keySet().stream().filter(member::contains).forEach(result::add);
                }
            }
            case QUEUE -> {
                if (caller.isAgent()) {
                    Set<Long> groups = permissions.groupsWith(caller.id(), Permissions.RO);
                    existing.forEach((queue, group) -> {
                        if (groups.contains(group)) {
                            result.add(queue);
                        }
                    });
                }
            }
            case ORGANISATION -> {
                // the organisation one acts in is the one whose fields one reads (agents and customers alike)
                if (existing.containsKey(caller.orgId())) {
                    result.add(caller.orgId());
                }
            }
            default -> {
            }
        }
        return result;
    }

    static boolean writable(Kind kind, Caller caller, long id) {
        if (caller == null || !caller.isAgent()) {
            return false;
        }
        return caller.admin() || (kind == Kind.AGENT && caller.id() == id);
    }

    private static Map<Long, Long> byId(Database database, Kind kind, Collection<Long> ids) {
        String select = switch (kind) {
            case AGENT -> "SELECT id, id FROM users";
            case CONTACT -> "SELECT id, id FROM customer_user";
            case GROUP -> "SELECT id, id FROM groups";
            case QUEUE -> "SELECT id, group_id FROM queue";
            case ORGANISATION -> "SELECT id, id FROM gk_organisation";
        };
        List<Long> all = new ArrayList<>(new HashSet<>(ids));
        Map<Long, Long> found = new HashMap<>();
        database.inTransaction(c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
                try (PreparedStatement q = c.prepareStatement(select + " WHERE id IN ("
                        + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                    Jdbc.bind(q, new ArrayList<Object>(chunk));
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                }
            }
            return null;
        });
        return found;
    }
}
