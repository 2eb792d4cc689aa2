package io.goatflow.persistence.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extender: when a bundle with a {@value SchemaReady#MIGRATIONS_HEADER} header starts, its migrations are applied
 * (off the framework thread, one bundle at a time) and a {@link SchemaReady} service is registered for it. While
 * the database is unreachable the attempt is retried with a growing delay. A bundle that stops loses its
 * {@code SchemaReady}, so its components stop with it.
 */
@Component(immediate = true, service = {})
public final class MigrationExtender implements BundleTrackerCustomizer<MigrationExtender.Tracked> {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationExtender.class);
    private static final long FIRST_RETRY_MS = 1000;
    private static final long MAX_RETRY_MS = 30_000;
    private static final long WAIT_FOR_PREREQUISITE_MS = 250;

    private final Database database;
    private final MigrationRunner runner;
    private final ScheduledExecutorService worker;
    private final BundleTracker<Tracked> tracker;
    private final BundleContext context;

    /** Per tracked bundle: the pending attempt and the registration once ready. Guarded by itself. */
    static final class Tracked {
        final Bundle bundle;
        final String folder;
        /** Bundles whose schema must be ready first (their tables are referenced by this bundle's). */
        final List<String> after;
        ScheduledFuture<?> attempt;
        ServiceRegistration<SchemaReady> ready;
        boolean closed;

        Tracked(Bundle bundle, String folder, List<String> after) {
            this.bundle = bundle;
            this.folder = folder;
            this.after = after;
        }
    }

    @Activate
    public MigrationExtender(BundleContext context, @Reference Database database) {
        this.context = context;
        this.database = database;
        this.runner = new MigrationRunner(database.dataSource(), database.kind());
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "goatflow-migrations");
            t.setDaemon(true);
            return t;
        });
        this.tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, this);
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        worker.shutdownNow();
    }

    @Override
    public Tracked addingBundle(Bundle bundle, BundleEvent event) {
        String folder = bundle.getHeaders("").get(SchemaReady.MIGRATIONS_HEADER);
        if (folder == null || folder.isBlank()) {
            return null;
        }
        String after = bundle.getHeaders("").get(SchemaReady.MIGRATIONS_AFTER_HEADER);
        List<String> names = new ArrayList<>();
        if (after != null) {
            for (String name : after.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        Tracked tracked = new Tracked(bundle, folder.trim(), List.copyOf(names));
        schedule(tracked, 0, FIRST_RETRY_MS);
        return tracked;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Tracked tracked) {
        // STARTING -> ACTIVE needs nothing more
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Tracked tracked) {
        synchronized (tracked) {
            tracked.closed = true;
            if (tracked.attempt != null) {
                tracked.attempt.cancel(false);
            }
            if (tracked.ready != null) {
                try {
                    tracked.ready.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // registered through the bundle's own context: the framework may have removed it already
                }
                tracked.ready = null;
            }
        }
    }

    private void schedule(Tracked tracked, long delayMs, long nextDelayMs) {
        synchronized (tracked) {
            if (tracked.closed || worker.isShutdown()) {
                return;
            }
            tracked.attempt = worker.schedule(() -> attempt(tracked, nextDelayMs), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(Tracked tracked, long retryDelayMs) {
        String name = tracked.bundle.getSymbolicName();
        for (String prerequisite : tracked.after) {
            if (!schemaReady(prerequisite)) {
                // Not a failure: the other bundle is still migrating (or not started); look again shortly.
                LOG.debug("Migrations of {} wait for the schema of {}", name, prerequisite);
                schedule(tracked, WAIT_FOR_PREREQUISITE_MS, retryDelayMs);
                return;
            }
        }
        int version;
        try {
            List<MigrationScript> scripts = load(tracked.bundle, tracked.folder, database);
            version = runner.migrate(name, scripts);
        } catch (SQLException e) {
            if (!MigrationRunner.isConnectionFailure(e)) {
                LOG.error("Schema of {} cannot be migrated; its services stay unavailable until this is fixed: {}",
                        name, e.getMessage());
                return;
            }
            LOG.warn("Database not reachable while migrating {} ({}); retrying in {} ms", name, e.getMessage(),
                    retryDelayMs);
            schedule(tracked, retryDelayMs, Math.min(MAX_RETRY_MS, retryDelayMs * 2));
            return;
        } catch (IllegalArgumentException | IOException e) {
            LOG.error("Migrations of {} cannot be read; its services stay unavailable until this is fixed: {}",
                    name, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("Migrating {} failed; its services stay unavailable until the bundle is restarted", name, e);
            return;
        }
        synchronized (tracked) {
            BundleContext bundleContext = tracked.bundle.getBundleContext();
            if (tracked.closed || bundleContext == null) {
                return;
            }
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(SchemaReady.BUNDLE_PROPERTY, name);
            props.put(SchemaReady.VERSION_PROPERTY, version);
            int applied = version;
            tracked.ready = bundleContext.registerService(SchemaReady.class, new SchemaReady() {
                @Override
                public String bundle() {
                    return name;
                }

                @Override
                public int version() {
                    return applied;
                }
            }, props);
        }
    }

    private boolean schemaReady(String bundleName) {
        try {
            return !context.getServiceReferences(SchemaReady.class,
                    "(" + SchemaReady.BUNDLE_PROPERTY + "=" + bundleName + ")").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException | IllegalStateException e) {
            return false;
        }
    }

    /** Reads the bundle's scripts, taking the variant for this database where one exists. */
    static List<MigrationScript> load(Bundle bundle, String folder, Database database) throws IOException {
        Enumeration<URL> entries = bundle.findEntries(folder, "*.sql", false);
        Map<Integer, URL> portable = new TreeMap<>();
        Map<Integer, URL> specific = new TreeMap<>();
        Map<Integer, String> descriptions = new TreeMap<>();
        for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String file = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            MigrationScript.FileName name = MigrationScript.parseName(file);
            Map<Integer, URL> target;
            descriptions.putIfAbsent(name.version(), name.description());
            if (name.kind() == null) {
                target = portable;
            } else if (name.kind().equals(database.kind().id())) {
                target = specific;
            } else {
                continue;
            }
            if (target.put(name.version(), url) != null) {
                throw new IllegalArgumentException("Two migrations with version " + name.version() + " in "
                        + bundle.getSymbolicName());
            }
        }
        List<MigrationScript> scripts = new ArrayList<>();
        for (Map.Entry<Integer, String> e : descriptions.entrySet()) {
            URL url = specific.getOrDefault(e.getKey(), portable.get(e.getKey()));
            if (url == null) {
                throw new IllegalArgumentException(bundle.getSymbolicName() + " migration V" + e.getKey()
                        + " has a variant for another database but none for " + database.kind().id());
            }
            try (InputStream in = url.openStream()) {
                scripts.add(new MigrationScript(e.getKey(), e.getValue(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return scripts;
    }
}
