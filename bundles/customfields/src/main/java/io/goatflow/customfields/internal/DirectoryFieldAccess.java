package io.goatflow.customfields.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.Caller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules for directory entities (agents, contacts, groups, queues), shared by their access components:
 * which ids exist, and which of them an agent or customer may see. Only administrators change their fields,
 * except that agents may change their own.
 */
final class DirectoryFieldAccess {
    enum Kind { AGENT, CONTACT, GROUP, QUEUE }

    private DirectoryFieldAccess() {
    }

    static Set<Long> readable(Database database, Permissions permissions, Kind kind, Caller caller,
            Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<Long> existing = existing(database, kind, ids);
        if (caller == null || (caller.isAgent() && caller.admin())) {
            return existing;
        }
        Set<Long> result = new HashSet<>();
        switch (kind) {
            case AGENT -> {
                if (caller.isAgent()) {
                    result.addAll(existing);
                }
            }
            case CONTACT -> {
                if (caller.isAgent()) {
                    result.addAll(existing);
                } else {
                    Long own = database.inTransaction(c -> Jdbc.rows(c, "SELECT id FROM customer_user WHERE login = ?",
                            Jdbc.params(caller.login())).stream().map(r -> ((Number) r.get("id")).longValue())
                            .findFirst().orElse(null));
                    if (own != null && existing.contains(own)) {
                        result.add(own);
                    }
                }
            }
            case GROUP -> {
                if (caller.isAgent()) {
                    Set<Long> member = new HashSet<>();
                    permissions.groupsByPermission(caller.id()).values().forEach(member::addAll);
                    existing.stream().filter(member::contains).forEach(result::add);
                }
            }
            case QUEUE -> {
                if (caller.isAgent()) {
                    Set<Long> groups = permissions.groupsWith(caller.id(), Permissions.RO);
                    List<Long> queues = new ArrayList<>(existing);
                    database.inTransaction(c -> {
                        for (Long[] pair : queueGroups(c, queues)) {
                            if (groups.contains(pair[1])) {
                                result.add(pair[0]);
                            }
                        }
                        return null;
                    });
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

    private static Set<Long> existing(Database database, Kind kind, Collection<Long> ids) {
        String table = switch (kind) {
            case AGENT -> "users";
            case CONTACT -> "customer_user";
            case GROUP -> "groups";
            case QUEUE -> "queue";
        };
        List<Long> all = new ArrayList<>(new HashSet<>(ids));
        Set<Long> found = new HashSet<>();
        database.inTransaction(c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
                try (PreparedStatement q = c.prepareStatement("SELECT id FROM " + table + " WHERE id IN ("
                        + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                    Jdbc.bind(q, new ArrayList<Object>(chunk));
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            found.add(rs.getLong(1));
                        }
                    }
                }
            }
            return null;
        });
        return found;
    }

    private static List<Long[]> queueGroups(Connection c, List<Long> queues) throws SQLException {
        List<Long[]> pairs = new ArrayList<>();
        for (int from = 0; from < queues.size(); from += 500) {
            List<Long> chunk = queues.subList(from, Math.min(queues.size(), from + 500));
            try (PreparedStatement q = c.prepareStatement("SELECT id, group_id FROM queue WHERE id IN ("
                    + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                Jdbc.bind(q, new ArrayList<Object>(chunk));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        pairs.add(new Long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
            }
        }
        return pairs;
    }
}
