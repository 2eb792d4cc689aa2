package io.goatflow.persistence;

import java.time.Duration;
import javax.sql.DataSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one database of a GoatFlow installation (embedded H2 or PostgreSQL shared by several instances).
 * Plain JDBC for SQL-shaped work; entity bundles use JPA on the same pool through the {@code DataSource}
 * service named {@value #JNDI_NAME}.
 */
@ProviderType
public interface Database {

    /** {@code osgi.jndi.service.name} of the pooled DataSource; persistence.xml refers to it. */
    String JNDI_NAME = "goatflow";

    DatabaseKind kind();

    /** The pooled data source. Callers close every connection they take. */
    DataSource dataSource();

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws, so a
     * failed request never leaves half-written rows.
     *
     * @throws DataAccessException wrapping the SQL failure
     */
    <T> T inTransaction(SqlWork<T> work);

    /** Checks that the database answers a trivial query within {@code timeout}; never blocks longer. */
    DatabaseStatus ping(Duration timeout);
}
