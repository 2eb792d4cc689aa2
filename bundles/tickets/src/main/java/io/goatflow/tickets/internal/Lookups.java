package io.goatflow.tickets.internal;

import io.goatflow.rest.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Reads of the small tables tickets refer to (queues, states, priorities, types, agents, customers). */
final class Lookups {
    private static final Set<String> NAMED_TABLES = Set.of("ticket_priority", "ticket_type", "ticket_state", "queue");

    record Queue(long id, String name, long groupId) {
    }

    record State(long id, String name, String type) {
    }

    private Lookups() {
    }

    /** A valid queue. */
    static Optional<Queue> queue(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT id, name, group_id FROM queue WHERE id = ? AND valid_id = 1")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Queue(rs.getLong(1), rs.getString(2), rs.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    static Optional<Long> queueIdByName(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM queue WHERE name = ? AND valid_id = 1")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** A valid state with the name of its type. */
    static Optional<State> state(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT s.id, s.name, st.name FROM ticket_state s"
                + " JOIN ticket_state_type st ON st.id = s.type_id WHERE s.id = ? AND s.valid_id = 1")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new State(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** The id if a valid row of {@code table} has it, else 400 naming the field. */
    static long requireValid(Connection c, String table, long id, String field) throws SQLException {
        if (!NAMED_TABLES.contains(table)) {
            throw new IllegalArgumentException(table);
        }
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM " + table + " WHERE id = ? AND valid_id = 1")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.validation(field + ": no such " + table.replace("ticket_", ""));
                }
                return id;
            }
        }
    }

    static String name(Connection c, String table, long id) throws SQLException {
        if (!NAMED_TABLES.contains(table)) {
            throw new IllegalArgumentException(table);
        }
        try (PreparedStatement q = c.prepareStatement("SELECT name FROM " + table + " WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static boolean validAgent(Connection c, long userId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM users WHERE id = ? AND valid_id = 1")) {
            q.setLong(1, userId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String login(Connection c, long userId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT login FROM users WHERE id = ?")) {
            q.setLong(1, userId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static Optional<String> companyOfCustomer(Connection c, String login) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT customer_id FROM customer_user WHERE login = ?")) {
            q.setString(1, login);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
