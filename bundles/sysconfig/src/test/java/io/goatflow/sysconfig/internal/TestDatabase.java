package io.goatflow.sysconfig.internal;

import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.persistence.SqlWork;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The {@link Database} contract over a fresh in-memory H2 (in the PostgreSQL mode the product runs H2 in), or a
 * fresh schema of the PostgreSQL database named by {@value #POSTGRES_PROPERTY}, with the bundle's own migrations
 * applied. Counts the statements prepared, so tests can hold lookups to one query.
 */
final class TestDatabase implements Database {
    /** A PostgreSQL database to run the tests on instead of H2 (user and password in the URL). */
    static final String POSTGRES_PROPERTY = "sysconfig.test.postgres.url";
    private final DataSource source;
    private final AtomicInteger prepared = new AtomicInteger();

    private final DatabaseKind kind;

    TestDatabase() {
        String postgres = System.getProperty(POSTGRES_PROPERTY, "").trim();
        if (postgres.isEmpty()) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            this.source = h2;
            this.kind = DatabaseKind.H2;
        } else {
            this.source = freshSchema(postgres);
            this.kind = DatabaseKind.POSTGRESQL;
        }
        inTransaction(c -> {
            migrate(c, "V001__create_sysconfig.sql");
            migrate(c, "V002__organisation_and_user_tiers.sql");
            return null;
        });
    }

    /** Statements prepared since the last call. */
    int takePrepared() {
        return prepared.getAndSet(0);
    }

    void sql(String statement) {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(statement);
            }
            return null;
        });
    }

    @Override
    public DatabaseKind kind() {
        return kind;
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(counting(c));
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException(e.getMessage(), e);
        }
    }

    @Override
    public DatabaseStatus ping(Duration timeout) {
        return new DatabaseStatus(true, kind, 0, null);
    }

    /** A new schema in the PostgreSQL database, so that every test starts from the migrations alone. */
    private static DataSource freshSchema(String url) {
        String schema = "sysconfig_test_" + UUID.randomUUID().toString().replace("-", "");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare PostgreSQL for the test: " + e.getMessage(), e);
        }
        pg.setCurrentSchema(schema);
        return pg;
    }

    private Connection counting(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        prepared.incrementAndGet();
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void migrate(Connection c, String file) throws SQLException {
        try (InputStream in = TestDatabase.class.getResourceAsStream("/db/migrations/" + file);
                Statement s = c.createStatement()) {
            // the migrations have no semicolons inside strings or comments, so a plain split is enough here
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            for (String statement : script.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }
}
