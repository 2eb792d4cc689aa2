package io.goatflow.persistence;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered once a bundle's migrations are applied, with {@value #BUNDLE_PROPERTY} set to that bundle's
 * symbolic name. Components that touch their bundle's tables reference it, so they start only on a
 * migrated schema:
 *
 * <pre>{@code @Reference(target = "(goatflow.schema=io.goatflow.sysconfig)") SchemaReady schema}</pre>
 *
 * A bundle declares its migrations with the manifest header {@value #MIGRATIONS_HEADER}, naming a folder of
 * {@code V<number>__<description>.sql} files ({@code .h2.sql} / {@code .postgresql.sql} variants win for
 * their database). {@value #MIGRATIONS_AFTER_HEADER} names bundles whose schema must exist first.
 */
@ProviderType
public interface SchemaReady {
    String BUNDLE_PROPERTY = "goatflow.schema";
    String VERSION_PROPERTY = "goatflow.schema.version";
    String MIGRATIONS_HEADER = "GoatFlow-Migrations";
    /**
     * Optional manifest header: comma-separated symbolic names of bundles whose migrations must be applied before
     * this bundle's (because its tables reference theirs). The extender waits for their {@code SchemaReady}.
     */
    String MIGRATIONS_AFTER_HEADER = "GoatFlow-Migrations-After";

    /** Symbolic name of the bundle whose schema is ready. */
    String bundle();

    /** Highest migration version applied for that bundle (0 when it ships none). */
    int version();
}
