package io.goatflow.auth.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Agent accounts in the OTRS {@code users} table, as far as logging in needs them. */
@Component(service = Agents.class)
public final class Agents {
    static final int VALID = 1;
    private final Database database;

    record Agent(long id, String login, String passwordHash, String firstName, String lastName, boolean valid,
            boolean admin) {
    }

    @Activate
    public Agents(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
    }

    Optional<Agent> byLogin(String login) {
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT u.id, u.login, u.pw, u.first_name, u.last_name,"
                    + " u.valid_id, " + ADMIN_FLAG + " AS is_admin FROM users u WHERE u.login = ?")) {
                q.setString(1, login);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Agent>empty();
                    }
                    return Optional.of(new Agent(rs.getLong("id"), rs.getString("login"), rs.getString("pw"),
                            rs.getString("first_name"), rs.getString("last_name"), rs.getInt("valid_id") == VALID,
                            rs.getInt("is_admin") > 0));
                }
            }
        });
    }

    /** SQL expression: 1 when agent {@code u} has rw in the valid {@code admin} group. */
    static final String ADMIN_FLAG = "(SELECT COUNT(*) FROM group_user gu JOIN groups g ON g.id = gu.group_id"
            + " WHERE gu.user_id = u.id AND g.name = 'admin' AND g.valid_id = 1 AND gu.permission_key = 'rw')";

    static boolean anyAgentExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Creates a valid agent with rw in the given groups; returns its id. Runs inside the caller's transaction. */
    static long create(Connection c, String login, String passwordHash, String firstName, String lastName,
            String... rwGroups) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        long id;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (login, pw, first_name, last_name,"
                + " valid_id, create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, 1, ?, 1, ?, 1)",
                new String[] {"id"})) {
            insert.setString(1, login);
            insert.setString(2, passwordHash);
            insert.setString(3, firstName);
            insert.setString(4, lastName);
            insert.setTimestamp(5, now);
            insert.setTimestamp(6, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        for (String group : rwGroups) {
            try (PreparedStatement member = c.prepareStatement("INSERT INTO group_user (user_id, group_id,"
                    + " permission_key, create_time, create_by, change_time, change_by)"
                    + " SELECT ?, id, 'rw', ?, 1, ?, 1 FROM groups WHERE name = ?")) {
                member.setLong(1, id);
                member.setTimestamp(2, now);
                member.setTimestamp(3, now);
                member.setString(4, group);
                member.executeUpdate();
            }
        }
        return id;
    }
}
