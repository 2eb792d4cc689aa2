package io.goatflow.persistence;

import java.util.Locale;
import java.util.Optional;

/** The database products GoatFlow runs on. Migrations may ship a variant per kind ({@code V002__x.h2.sql}). */
public enum DatabaseKind {
    H2("h2", "jdbc:h2:", "org.h2.Driver"),
    POSTGRESQL("postgresql", "jdbc:postgresql:", "org.postgresql.Driver");

    private final String id;
    private final String urlPrefix;
    private final String driverClass;

    DatabaseKind(String id, String urlPrefix, String driverClass) {
        this.id = id;
        this.urlPrefix = urlPrefix;
        this.driverClass = driverClass;
    }

    /** Lower-case name used in file names, configuration and the version endpoint. */
    public String id() {
        return id;
    }

    /** The JDBC driver class, as published in the {@code osgi.jdbc.driver.class} service property. */
    public String driverClass() {
        return driverClass;
    }

    public static Optional<DatabaseKind> fromUrl(String jdbcUrl) {
        if (jdbcUrl == null) {
            return Optional.empty();
        }
        String url = jdbcUrl.trim().toLowerCase(Locale.ROOT);
        for (DatabaseKind kind : values()) {
            if (url.startsWith(kind.urlPrefix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
