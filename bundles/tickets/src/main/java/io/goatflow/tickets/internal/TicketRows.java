package io.goatflow.tickets.internal;

import io.goatflow.persistence.Jdbc;
import io.goatflow.tickets.Ticket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading ticket rows with their names resolved; the SQL shared by single reads and lists. */
final class TicketRows {
    static final String SELECT = "SELECT t.id, t.tn, t.title, t.queue_id, q.name AS queue_name, q.group_id,"
            + " t.ticket_state_id, s.name AS state_name, st.name AS state_type, t.ticket_priority_id,"
            + " p.name AS priority_name, t.type_id, ty.name AS type_name, l.name AS lock_name, t.user_id,"
            + " o.login AS owner_login, t.responsible_user_id, r.login AS responsible_login, t.customer_user_id,"
            + " t.customer_id, t.until_time, t.archive_flag, t.create_time, t.create_by, t.change_time, t.change_by, t.org_id";
    static final String FROM = " FROM ticket t JOIN queue q ON q.id = t.queue_id"
            + " JOIN ticket_state s ON s.id = t.ticket_state_id JOIN ticket_state_type st ON st.id = s.type_id"
            + " JOIN ticket_priority p ON p.id = t.ticket_priority_id LEFT JOIN ticket_type ty ON ty.id = t.type_id"
            + " JOIN ticket_lock_type l ON l.id = t.ticket_lock_id JOIN users o ON o.id = t.user_id"
            + " JOIN users r ON r.id = t.responsible_user_id";
    /** Sort keys of the API and the columns they order by. */
    static final Map<String, String> SORTS = Map.of("created", "t.create_time", "updated", "t.change_time",
            "priority", "t.ticket_priority_id", "title", "t.title", "ticket_number", "t.tn", "state", "s.name",
            "queue", "q.name", "pending", "t.until_time");

    /** A ticket row with the group of its queue and its organisation, which access checks need. */
    record Row(Ticket ticket, long groupId, String stateType, long orgId) {
    }

    private TicketRows() {
    }

    static Optional<Row> byId(Connection c, long id, boolean forUpdate) throws SQLException {
        if (forUpdate) {
            // lock the ticket row first (FOR UPDATE with outer joins is refused by PostgreSQL)
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM ticket WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, id);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
        }
        try (PreparedStatement q = c.prepareStatement(SELECT + FROM + " WHERE t.id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static List<Row> list(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            Jdbc.bind(q, params);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        }
    }

    static Row row(ResultSet rs) throws SQLException {
        int until = rs.getInt("until_time");
        Ticket ticket = new Ticket(rs.getLong("id"), rs.getString("tn"), rs.getString("title"),
                rs.getLong("queue_id"), rs.getString("queue_name"), rs.getLong("ticket_state_id"),
                rs.getString("state_name"), rs.getString("state_type"), rs.getLong("ticket_priority_id"),
                rs.getString("priority_name"), Jdbc.nullableLong(rs, "type_id"), rs.getString("type_name"),
                rs.getString("lock_name"), rs.getLong("user_id"), rs.getString("owner_login"),
                rs.getLong("responsible_user_id"), rs.getString("responsible_login"),
                rs.getString("customer_user_id"), rs.getString("customer_id"),
                until > 0 ? Instant.ofEpochSecond(until) : null, rs.getInt("archive_flag") == 1,
                Jdbc.instant(rs, "create_time"), rs.getLong("create_by"), Jdbc.instant(rs, "change_time"),
                rs.getLong("change_by"));
        return new Row(ticket, rs.getLong("group_id"), rs.getString("state_type"), rs.getLong("org_id"));
    }
}
