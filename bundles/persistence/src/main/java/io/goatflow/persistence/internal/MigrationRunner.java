package io.goatflow.persistence.internal;

import io.goatflow.persistence.DatabaseKind;
import java.sql.Connection;
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
 * instances may start at once against one PostgreSQL: they serialise on a session advisory lock, and each
 * script runs in its own transaction together with its record, so a script is applied once or not at all.
 * H2 file databases are opened by one process only, so an in-process lock is enough there.
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
            connection.setAutoCommit(true);
            lockAcrossInstances(connection);
            try {
                createTableIfMissing(connection);
                Map<Integer, String> applied = appliedChecksums(connection, bundle);
                int highest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
                for (MigrationScript script : scripts) {
                    String checksum = script.checksum();
                    String recorded = applied.get(script.version());
                    if (recorded != null) {
                        if (!recorded.equals(checksum)) {
                            throw new MigrationException(bundle + " migration V" + script.version() + " ("
                                    + script.description() + ") was changed after it was applied; add a new"
                                    + " migration instead of editing an applied one");
                        }
                        continue;
                    }
                    apply(connection, bundle, script, checksum);
                    highest = Math.max(highest, script.version());
                }
                return highest;
            } finally {
                unlockAcrossInstances(connection);
            }
        } finally {
            localLock.unlock();
        }
    }

    private void apply(Connection connection, String bundle, MigrationScript script, String checksum)
            throws SQLException {
        long started = System.nanoTime();
        connection.setAutoCommit(false);
        String current = null;
        try (Statement statement = connection.createStatement()) {
            for (String sql : SqlStatements.split(script.sql())) {
                current = sql;
                statement.execute(sql);
            }
            current = null;
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
            connection.commit();
            LOG.info("Applied migration {} V{} ({})", bundle, script.version(), script.description());
        } catch (SQLException e) {
            connection.rollback();
            if (current == null) {
                throw e;
            }
            throw new MigrationException(bundle + " migration V" + script.version() + " (" + script.description()
                    + ") failed at: " + abbreviate(current) + " -- " + e.getMessage(), e);
        } finally {
            connection.setAutoCommit(true);
        }
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

    private void lockAcrossInstances(Connection connection) throws SQLException {
        if (kind == DatabaseKind.POSTGRESQL) {
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + ADVISORY_LOCK_KEY + ")");
            }
        }
    }

    private void unlockAcrossInstances(Connection connection) throws SQLException {
        if (kind == DatabaseKind.POSTGRESQL) {
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + ADVISORY_LOCK_KEY + ")");
            }
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 157) + "...";
    }
}
