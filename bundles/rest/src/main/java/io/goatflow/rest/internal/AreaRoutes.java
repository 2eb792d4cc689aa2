package io.goatflow.rest.internal;

import io.goatflow.rest.RestApi;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * Knows which installed bundle serves which path prefix ({@value RestApi#ROUTES_HEADER} header), so that a
 * request the application cannot match can be told apart: a path of an area that is stopped or still
 * registering its resources is "unavailable, retry", anything else is "not found". Tracks installed bundles in
 * every state, because a stopped area is exactly the case that matters.
 */
final class AreaRoutes implements BundleTrackerCustomizer<List<String>>, AutoCloseable {
    private final Map<Bundle, List<String>> prefixes = new ConcurrentHashMap<>();
    private final BundleTracker<List<String>> tracker;

    AreaRoutes(BundleContext context) {
        int everyStateButUninstalled = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE
                | Bundle.STOPPING;
        this.tracker = new BundleTracker<>(context, everyStateButUninstalled, this);
        tracker.open();
    }

    @Override
    public void close() {
        tracker.close();
    }

    /** The bundle whose routes cover {@code path} and that cannot serve it right now, if any. */
    Optional<Bundle> unavailableAreaFor(String path) {
        for (Map.Entry<Bundle, List<String>> e : prefixes.entrySet()) {
            for (String prefix : e.getValue()) {
                if (matches(path, prefix) && !serving(e.getKey())) {
                    return Optional.of(e.getKey());
                }
            }
        }
        return Optional.empty();
    }

    static boolean matches(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /** Active and with at least one JAX-RS resource registered: otherwise it is between stop and start. */
    private static boolean serving(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE) {
            return false;
        }
        ServiceReference<?>[] services = bundle.getRegisteredServices();
        return services != null && Arrays.stream(services)
                .anyMatch(ref -> Boolean.TRUE.equals(ref.getProperty("osgi.jaxrs.resource"))
                        || "true".equals(String.valueOf(ref.getProperty("osgi.jaxrs.resource"))));
    }

    @Override
    public List<String> addingBundle(Bundle bundle, BundleEvent event) {
        String header = bundle.getHeaders("").get(RestApi.ROUTES_HEADER);
        if (header == null || header.isBlank()) {
            return null;
        }
        List<String> routes = Arrays.stream(header.split(",")).map(String::trim).filter(s -> s.startsWith("/"))
                .toList();
        prefixes.put(bundle, routes);
        return routes;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, List<String> routes) {
        // An updated bundle may declare other routes.
        if (event != null && event.getType() == BundleEvent.UPDATED) {
            prefixes.remove(bundle);
            addingBundle(bundle, event);
        }
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, List<String> routes) {
        prefixes.remove(bundle);
    }
}
