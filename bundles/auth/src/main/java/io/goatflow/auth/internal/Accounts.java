package io.goatflow.auth.internal;

import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.Caller;
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
 * Login accounts: agents in the OTRS {@code users} table and customers in {@code customer_user}, as far as
 * logging in needs them. Read through JPA; agents are created with JDBC inside the caller's transaction.
 */
@Component(service = Accounts.class)
public final class Accounts {
    static final int VALID = 1;
    private final EntityManagerFactory entities;

    /** An account of either kind; {@code customerId} is the customer's company, null for agents. */
    record Account(long id, String login, String passwordHash, String firstName, String lastName, boolean valid,
            boolean admin, Caller.Kind kind, String customerId, String email) {
    }

    @Activate
    public Accounts(@Reference(target = "(osgi.unit.name=goatflow-auth)") EntityManagerFactory entities,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.entities = entities;
    }

    /** The account of this kind with this login; the admin flag of agents from the group tables. */
    Optional<Account> byLogin(Caller.Kind kind, String login) {
        return find(kind, "login", login);
    }

    /** The account of this kind with this id (the second step of a login knows the account only by id). */
    Optional<Account> byId(Caller.Kind kind, long id) {
        return find(kind, "id", id);
    }

    private Optional<Account> find(Caller.Kind kind, String attribute, Object value) {
        EntityManager em = entities.createEntityManager();
        try {
            if (kind == Caller.Kind.CUSTOMER) {
                List<CustomerAccount> found = em.createQuery(
                        "SELECT c FROM CustomerAccount c WHERE c." + attribute + " = :value", CustomerAccount.class)
                        .setParameter("value", value).getResultList();
                return found.stream().findFirst().map(c -> new Account(c.getId(), c.getLogin(),
                        c.getPasswordHash(), c.getFirstName(), c.getLastName(), c.getValidId() == VALID, false,
                        Caller.Kind.CUSTOMER, c.getCustomerId(), c.getEmail()));
            }
            List<AgentAccount> found = em.createQuery("SELECT a FROM AgentAccount a WHERE a." + attribute
                    + " = :value", AgentAccount.class).setParameter("value", value).getResultList();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            AgentAccount account = found.get(0);
            Number admins = (Number) em.createNativeQuery("SELECT " + ADMIN_FLAG.replace("u.id", "?1"))
                    .setParameter(1, account.getId()).getSingleResult();
            return Optional.of(new Account(account.getId(), account.getLogin(), account.getPasswordHash(),
                    account.getFirstName(), account.getLastName(), account.getValidId() == VALID,
                    admins.intValue() > 0, Caller.Kind.AGENT, null, null));
        } catch (PersistenceException e) {
            throw new DataAccessException("Reading account " + value + " failed: " + e.getMessage(),
                    e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e));
        } finally {
            em.close();
        }
    }

    /**
     * SQL expression: 1 when agent {@code u} has rw in the valid {@code admin} group, directly or through a valid
     * role.
     */
    static final String ADMIN_FLAG = "(SELECT COUNT(*) FROM groups g WHERE g.name = 'admin' AND g.valid_id = 1 AND ("
            + "EXISTS (SELECT 1 FROM group_user gu WHERE gu.group_id = g.id AND gu.user_id = u.id"
            + " AND gu.permission_key = 'rw')"
            + " OR EXISTS (SELECT 1 FROM group_role gr JOIN role_user ru ON ru.role_id = gr.role_id"
            + " JOIN roles r ON r.id = gr.role_id WHERE gr.group_id = g.id AND ru.user_id = u.id"
            + " AND gr.permission_key = 'rw' AND gr.permission_value = 1 AND r.valid_id = 1)))";

    static boolean anyAgentExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Creates a valid agent with rw in the given groups; returns its id. Runs inside the caller's transaction. */
    public static long createAgent(Connection c, String login, String passwordHash, String firstName, String lastName,
            long createdBy, String... rwGroups) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        long id;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (login, pw, first_name, last_name,"
                + " valid_id, create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
                new String[] {"id"})) {
            insert.setString(1, login);
            insert.setString(2, passwordHash);
            insert.setString(3, firstName);
            insert.setString(4, lastName);
            insert.setTimestamp(5, now);
            insert.setLong(6, createdBy);
            insert.setTimestamp(7, now);
            insert.setLong(8, createdBy);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        for (String group : rwGroups) {
            try (PreparedStatement member = c.prepareStatement("INSERT INTO group_user (user_id, group_id,"
                    + " permission_key, create_time, create_by, change_time, change_by)"
                    + " SELECT ?, id, 'rw', ?, ?, ?, ? FROM groups WHERE name = ?")) {
                member.setLong(1, id);
                member.setTimestamp(2, now);
                member.setLong(3, createdBy);
                member.setTimestamp(4, now);
                member.setLong(5, createdBy);
                member.setString(6, group);
                member.executeUpdate();
            }
        }
        return id;
    }
}
