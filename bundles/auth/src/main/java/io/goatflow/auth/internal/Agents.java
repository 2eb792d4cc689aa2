package io.goatflow.auth.internal;

import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.SchemaReady;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Agent accounts in the OTRS {@code users} table, as far as logging in needs them: read through JPA, created with
 * JDBC inside the caller's transaction (first-run bootstrap).
 */
@Component(service = Agents.class)
public final class Agents {
    static final int VALID = 1;
    private final EntityManagerFactory entities;

    record Agent(long id, String login, String passwordHash, String firstName, String lastName, boolean valid,
            boolean admin) {
    }

    @Activate
    public Agents(@Reference(target = "(osgi.unit.name=goatflow-auth)") EntityManagerFactory entities,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.entities = entities;
    }

    /** The agent with this login, read through JPA; its admin flag from the group tables. */
    Optional<Agent> byLogin(String login) {
        EntityManager em = entities.createEntityManager();
        try {
            List<AgentAccount> found = em.createQuery("SELECT a FROM AgentAccount a WHERE a.login = :login",
                    AgentAccount.class).setParameter("login", login).getResultList();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            AgentAccount account = found.get(0);
            Number admins = (Number) em.createNativeQuery("SELECT " + ADMIN_FLAG.replace("u.id", "?1"))
                    .setParameter(1, account.getId()).getSingleResult();
            return Optional.of(new Agent(account.getId(), account.getLogin(), account.getPasswordHash(),
                    account.getFirstName(), account.getLastName(), account.getValidId() == VALID,
                    admins.intValue() > 0));
        } catch (PersistenceException e) {
            throw new DataAccessException("Reading agent " + login + " failed: " + e.getMessage(),
                    e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e));
        } finally {
            em.close();
        }
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
