package io.goatflow.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.persistence.DatabaseKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationRunnerTest {
    private JdbcDataSource dataSource;
    private MigrationRunner runner;

    @BeforeEach
    void freshDatabase() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        runner = new MigrationRunner(dataSource, DatabaseKind.H2);
    }

    @Test
    void appliesEachScriptOnceAndRecordsIt() throws SQLException {
        List<MigrationScript> scripts = List.of(
                new MigrationScript(1, "create thing", "CREATE TABLE thing (id INT PRIMARY KEY, name VARCHAR(20));"),
                new MigrationScript(2, "seed thing", "INSERT INTO thing VALUES (1, 'one');"));
        assertEquals(2, runner.migrate("io.goatflow.test", scripts));
        assertEquals(2, runner.migrate("io.goatflow.test", scripts), "second run applies nothing new");
        assertEquals(1, count("SELECT COUNT(*) FROM thing"), "seed ran once");
        assertEquals(2, count("SELECT COUNT(*) FROM gk_schema_migration WHERE bundle = 'io.goatflow.test'"));
    }

    @Test
    void bundlesHaveSeparateHistories() throws SQLException {
        runner.migrate("a", List.of(new MigrationScript(1, "a", "CREATE TABLE ta (id INT)")));
        runner.migrate("b", List.of(new MigrationScript(1, "b", "CREATE TABLE tb (id INT)")));
        assertEquals(2, count("SELECT COUNT(*) FROM gk_schema_migration"));
    }

    @Test
    void editedAppliedScriptIsRefused() throws SQLException {
        runner.migrate("a", List.of(new MigrationScript(1, "a", "CREATE TABLE ta (id INT)")));
        MigrationException e = assertThrows(MigrationException.class,
                () -> runner.migrate("a", List.of(new MigrationScript(1, "a", "CREATE TABLE ta (id BIGINT)"))));
        assertTrue(e.getMessage().contains("changed after it was applied"), e.getMessage());
    }

    @Test
    void failingScriptIsNotRecordedAndNamesTheStatement() throws SQLException {
        MigrationException e = assertThrows(MigrationException.class, () -> runner.migrate("a", List.of(
                new MigrationScript(1, "broken", "CREATE TABLE ok1 (id INT); CREATE TABLEX nope (id INT);"))));
        assertTrue(e.getMessage().contains("CREATE TABLEX nope"), e.getMessage());
        assertEquals(0, count("SELECT COUNT(*) FROM gk_schema_migration"));
    }

    @Test
    void fileNamesCarryVersionDescriptionAndKind() {
        MigrationScript.FileName name = MigrationScript.parseName("V012__create_users.postgresql.sql");
        assertEquals(12, name.version());
        assertEquals("create users", name.description());
        assertEquals("postgresql", name.kind());
        assertEquals(null, MigrationScript.parseName("V1__x.sql").kind());
        assertThrows(IllegalArgumentException.class, () -> MigrationScript.parseName("create.sql"));
        assertFalse(new MigrationScript(1, "a", "x\r\n").checksum().equals(new MigrationScript(1, "a", "y").checksum()));
        assertEquals(new MigrationScript(1, "a", "x\r\n").checksum(), new MigrationScript(1, "a", "x\n").checksum());
    }

    @Test
    void connectionFailuresAreToldApartFromBadSql() {
        assertTrue(MigrationRunner.isConnectionFailure(new SQLException("refused", "08001")));
        assertTrue(MigrationRunner.isConnectionFailure(new SQLException("wrapped",
                new java.sql.SQLTransientConnectionException("pool timeout"))));
        assertFalse(MigrationRunner.isConnectionFailure(new SQLException("no such table", "42P01")));
    }

    @Test
    void aVersionShippedOnlyForAnotherDatabaseIsReported() {
        // load() is exercised in the container tests; the rule it enforces is that every version applies here.
        assertThrows(IllegalArgumentException.class, () -> MigrationScript.parseName("V1__x.sql.bak"));
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
