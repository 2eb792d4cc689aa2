package io.goatflow.persistence.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.persistence.SqlWork;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool for the configured database. The JDBC driver is chosen from the URL among the
 * {@link DataSourceFactory} services the H2 and PostgreSQL bundles publish, so switching database is one
 * setting ({@code GOATFLOW_DB_URL}). The pool starts even while the database is down and heals when it comes
 * back; requests meanwhile wait at most {@code connect_timeout_ms} and then fail with a transient error.
 */
@Component(service = Database.class, immediate = true, configurationPid = "io.goatflow.persistence",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseConfig.class)
public final class PooledDatabase implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(PooledDatabase.class);

    private final DatabaseKind kind;
    private final HikariDataSource pool;
    private final ThreadPoolExecutor pingThreads;
    private final ServiceRegistration<DataSource> dataSourceRegistration;

    @Activate
    public PooledDatabase(BundleContext context, DatabaseConfig config,
            @Reference(service = DataSourceFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
                    policyOption = ReferencePolicyOption.GREEDY)
            List<Map.Entry<Map<String, Object>, DataSourceFactory>> drivers) throws SQLException {
        String url = config.url() == null || config.url().isBlank() ? embeddedH2Url() : config.url().trim();
        this.kind = DatabaseKind.fromUrl(url).orElseThrow(() -> new IllegalArgumentException(
                "Unsupported database URL (use jdbc:h2:... or jdbc:postgresql://...): " + redact(url)));
        DataSourceFactory driver = drivers.stream()
                .filter(e -> kind.driverClass().equals(e.getKey().get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS)))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("No JDBC driver bundle for " + kind.id() + " is active"));

        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        boolean noUser = config.user() == null || config.user().isBlank();
        String user = noUser ? (kind == DatabaseKind.H2 ? "sa" : "") : config.user();
        props.setProperty(DataSourceFactory.JDBC_USER, user);
        props.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password() == null ? "" : config.password());

        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("goatflow");
        hikari.setDataSource(driver.createDataSource(props));
        hikari.setMaximumPoolSize(Math.max(2, config.pool_max_size()));
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, config.connect_timeout_ms()));
        hikari.setValidationTimeout(1000);
        // Start even when the database is down: /health reports it, and the pool heals once it is back.
        hikari.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(hikari);

        // Pings run on their own small pool so that a hung connect never blocks a request thread past its timeout.
        this.pingThreads = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "goatflow-db-ping");
            t.setDaemon(true);
            return t;
        });

        Dictionary<String, Object> dsProps = new Hashtable<>();
        dsProps.put("osgi.jndi.service.name", JNDI_NAME);
        dsProps.put("goatflow.database.kind", kind.id());
        this.dataSourceRegistration = context.registerService(DataSource.class, pool, dsProps);
        LOG.info("Database: {} at {}", kind.id(), redact(url));
    }

    @Deactivate
    void deactivate() {
        try {
            dataSourceRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters services of a stopping bundle first
        }
        pingThreads.shutdownNow();
        pool.close();
    }

    @Override
    public DatabaseKind kind() {
        return kind;
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreQuietly(connection, autoCommit);
            }
        } catch (SQLException e) {
            throw new DataAccessException("Database operation failed: " + e.getMessage(), e);
        }
    }

    @Override
    public DatabaseStatus ping(Duration timeout) {
        long started = System.nanoTime();
        Future<?> probe;
        try {
            probe = pingThreads.submit(() -> {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                    s.execute("SELECT 1");
                }
                return null;
            });
        } catch (RejectedExecutionException busy) {
            return new DatabaseStatus(false, kind, elapsed(started), "earlier database pings are still waiting");
        }
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new DatabaseStatus(true, kind, elapsed(started), null);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return new DatabaseStatus(false, kind, elapsed(started), "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new DatabaseStatus(false, kind, elapsed(started), String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DatabaseStatus(false, kind, elapsed(started), "interrupted");
        }
    }

    private static long elapsed(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /**
     * A connection the server dropped is closed by the pool as soon as the driver reports it; restoring auto-commit
     * on it then fails with a message without SQLState, which must not replace the driver's report (class 08, which
     * callers map to "database unavailable").
     */
    private static void restoreQuietly(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException brokenConnection) {
            // the pool discards it; the work's own outcome stands
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** The embedded default: a file database under Karaf's data folder, in PostgreSQL mode so SQL is shared. */
    static String embeddedH2Url() {
        Path file = Path.of(System.getProperty("karaf.data", "data"), "h2", "goatflow").toAbsolutePath();
        return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** URLs may carry a password parameter; logs get everything before it. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
