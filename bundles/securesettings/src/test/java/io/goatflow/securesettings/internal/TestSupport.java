package io.goatflow.securesettings.internal;

import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.persistence.SqlWork;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Shared helpers: typed configs as DS builds them, random keys, and the Database contract over in-memory H2. */
final class TestSupport {
    private TestSupport() {
    }

    static SecureSettingsConfig config(Map<String, Object> overrides) {
        Class<SecureSettingsConfig> type = SecureSettingsConfig.class;
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            return overrides.containsKey(method.getName()) ? overrides.get(method.getName()) : method.getDefaultValue();
        }));
    }

    static byte[] randomKeyBytes() {
        byte[] key = new byte[SecureKey.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * A migrated in-memory H2 database in the mode the embedded default uses (PostgreSQL mode, lower-case names).
     * With {@code -Dgoatflow.test.postgresql.url=jdbc:postgresql://...} (plus {@code .user}, {@code .password}) the
     * same tests run against PostgreSQL instead; the table is dropped and created again.
     */
    static Database migratedDatabase() {
        String pg = System.getProperty("goatflow.test.postgresql.url");
        DataSource source;
        DatabaseKind kind;
        if (pg != null && !pg.isBlank()) {
            source = postgres(pg);
            kind = DatabaseKind.POSTGRESQL;
        } else {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            source = h2;
            kind = DatabaseKind.H2;
        }
        Database database = new JdbcDatabase(source, kind);
        database.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                if (kind == DatabaseKind.POSTGRESQL) {
                    s.execute("DROP TABLE IF EXISTS gk_secure_config");
                }
                for (String statement : migration().split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
            return null;
        });
        return database;
    }

    private static DataSource postgres(String url) {
        try {
            Class<?> type = Class.forName("org.postgresql.ds.PGSimpleDataSource");
            Object source = type.getConstructor().newInstance();
            type.getMethod("setURL", String.class).invoke(source, url);
            type.getMethod("setUser", String.class).invoke(source, System.getProperty("goatflow.test.postgresql.user", ""));
            type.getMethod("setPassword", String.class).invoke(source,
                    System.getProperty("goatflow.test.postgresql.password", ""));
            return (DataSource) source;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PostgreSQL driver not on the test class path", e);
        }
    }

    private static String migration() {
        try (InputStream in = TestSupport.class.getResourceAsStream("/db/migrations/V001__create_secure_config.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@link Database} contract over a plain data source, as PooledDatabase implements it. */
    record JdbcDatabase(DataSource source, DatabaseKind kind) implements Database {
        @Override
        public DataSource dataSource() {
            return source;
        }

        @Override
        public <T> T inTransaction(SqlWork<T> work) {
            try (Connection c = source.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
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
    }
}
