package io.goatflow.persistence.internal;

import io.goatflow.persistence.DatabaseKind;
import java.sql.Connection;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a bundle's migrations in version order and records each in {@code gk_schema_migration}. Several
 * instances may start at once against one PostgreSQL: each script runs in its own transaction, together with its
 * record and behind a transaction-scoped advisory lock, and is re-checked under that lock, so it is applied once
 * or not at all. H2 file databases are opened by one process only, so an in-process lock is enough there (and H2
 * commits DDL at once, so a script that fails on H2 may leave part of its DDL behind).
 */
final class MigrationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);
    /** Arbitrary but fixed key of the PostgreSQL advisory lock that guards all GoatFlow migrations. */
    static final long ADVISORY_LOCK_KEY = 0x60A7F10E_0001L;
    static final String TABLE = "gk_schema_migration";

    private final DataSource dataSource;
    private final DatabaseKind kind;
    private final ReentrantLock localLock = new ReentrantLock();

    MigrationRunner(DataSource dataSource, DatabaseKind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    /**
     * Brings {@code bundle}'s schema to the newest script version.
     *
     * @return the highest version now applied
     * @throws MigrationException when a script fails or an applied script was changed afterwards
     * @throws SQLException when the database cannot be reached (worth retrying)
     */
    int migrate(String bundle, List<MigrationScript> scripts) throws SQLException {
        localLock.lock();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                inLockedTransaction(connection, () -> {
                    createTableIfMissing(connection);
                    return null;
                });
                for (MigrationScript script : scripts) {
                    inLockedTransaction(connection, () -> applyIfNew(connection, bundle, script));
                }
                return inLockedTransaction(connection, () -> appliedChecksums(connection, bundle).keySet().stream()
                        .mapToInt(Integer::intValue).max().orElse(0));
            } finally {
                connection.setAutoCommit(true);
            }
        } finally {
            localLock.unlock();
        }
    }

    /** Whether an SQL failure means "database unreachable" (retry later) rather than "this SQL is wrong". */
    static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** A functional step run in one transaction. */
    private interface Step<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code step} in one transaction that first takes the cluster-wide migration lock (PostgreSQL: a
     * transaction-scoped advisory lock, released by commit or rollback, so nothing can leak back into the pool).
     */
    private <T> T inLockedTransaction(Connection connection, Step<T> step) throws SQLException {
        try {
            if (kind == DatabaseKind.POSTGRESQL) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
                }
            }
            T result = step.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    /** Applies one script unless it is recorded; under the lock, so another instance cannot apply it meanwhile. */
    private Void applyIfNew(Connection connection, String bundle, MigrationScript script) throws SQLException {
        String checksum = script.checksum();
        String recorded = appliedChecksums(connection, bundle).get(script.version());
        if (recorded != null) {
            if (!recorded.equals(checksum)) {
                throw new MigrationException(bundle + " migration V" + script.version() + " ("
                        + script.description() + ") was changed after it was applied; add a new"
                        + " migration instead of editing an applied one");
            }
            return null;
        }
        long started = System.nanoTime();
        String current = null;
        try (Statement statement = connection.createStatement()) {
            for (String sql : SqlStatements.split(script.sql())) {
                current = sql;
                statement.execute(sql);
            }
        } catch (SQLException e) {
            if (isConnectionFailure(e)) {
                throw e;
            }
            throw new MigrationException(bundle + " migration V" + script.version() + " (" + script.description()
                    + ") failed at: " + abbreviate(current) + " -- " + e.getMessage(), e);
        }
        try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + TABLE
                + " (bundle, version, description, checksum, applied_at, execution_ms) VALUES (?,?,?,?,?,?)")) {
            record.setString(1, bundle);
            record.setInt(2, script.version());
            record.setString(3, script.description());
            record.setString(4, checksum);
            record.setTimestamp(5, Timestamp.from(Instant.now()));
            record.setLong(6, (System.nanoTime() - started) / 1_000_000);
            record.executeUpdate();
        }
        LOG.info("Applied migration {} V{} ({})", bundle, script.version(), script.description());
        return null;
    }

    private void createTableIfMissing(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "bundle VARCHAR(200) NOT NULL, version INTEGER NOT NULL, description VARCHAR(200) NOT NULL,"
                    + " checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP NOT NULL, execution_ms BIGINT NOT NULL,"
                    + " PRIMARY KEY (bundle, version))");
        }
    }

    private Map<Integer, String> appliedChecksums(Connection connection, String bundle) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT version, checksum FROM " + TABLE + " WHERE bundle = ?")) {
            q.setString(1, bundle);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return applied;
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 157) + "...";
    }
}
