package io.goatflow.rest.internal;

import io.goatflow.rest.RestApi;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * Knows which installed bundle serves which path prefix ({@value RestApi#ROUTES_HEADER} header), so that a
 * request the application cannot match can be told apart: a path of an area that is stopped, or whose resources
 * the whiteboard has not wired into the application yet, is "unavailable, retry"; anything else is "not found".
 * Tracks installed bundles in every state, because a stopped area is exactly the case that matters.
 */
final class AreaRoutes implements BundleTrackerCustomizer<List<String>>, AutoCloseable {
    /**
     * How long after a resource of an area comes or goes the area still counts as restarting: the runtime DTO
     * lists a resource a moment before the rebuilt CXF application actually serves it.
     */
    static final long SETTLE_MILLIS = 3000;
    private final Map<Bundle, List<String>> prefixes = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastResourceChange = new ConcurrentHashMap<>();
    private final BundleContext context;
    private final ServiceListener resourceListener = event -> lastResourceChange.put(
            event.getServiceReference().getBundle() == null ? -1L : event.getServiceReference().getBundle().getBundleId(),
            System.currentTimeMillis());
    private final BundleTracker<List<String>> tracker;
    private final Supplier<JaxrsServiceRuntime> runtime;

    AreaRoutes(BundleContext context, Supplier<JaxrsServiceRuntime> runtime) {
        this.runtime = runtime;
        this.context = context;
        try {
            context.addServiceListener(resourceListener, "(osgi.jaxrs.resource=true)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        int everyStateButUninstalled = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE
                | Bundle.STOPPING;
        this.tracker = new BundleTracker<>(context, everyStateButUninstalled, this);
        tracker.open();
    }

    @Override
    public void close() {
        context.removeServiceListener(resourceListener);
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

    /**
     * Active, with JAX-RS resources registered, and every one of them wired into the application: otherwise the
     * area is somewhere between stop and start.
     */
    private boolean serving(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE) {
            return false;
        }
        Long changed = lastResourceChange.get(bundle.getBundleId());
        if (changed != null && System.currentTimeMillis() - changed < SETTLE_MILLIS) {
            return false;
        }
        ServiceReference<?>[] services = bundle.getRegisteredServices();
        Set<Long> resources = services == null ? Set.of() : Arrays.stream(services)
                .filter(ref -> "true".equals(String.valueOf(ref.getProperty("osgi.jaxrs.resource"))))
                .map(ref -> (Long) ref.getProperty("service.id")).collect(Collectors.toSet());
        if (resources.isEmpty()) {
            return false;
        }
        JaxrsServiceRuntime current = runtime.get();
        if (current == null) {
            return true;
        }
        return wiredResources(current.getRuntimeDTO()).containsAll(resources);
    }

    private static Set<Long> wiredResources(RuntimeDTO dto) {
        for (ApplicationDTO application : dto.applicationDTOs) {
            if (RestApi.APPLICATION_NAME.equals(application.name)) {
                return Arrays.stream(application.resourceDTOs).map((ResourceDTO r) -> r.serviceId)
                        .collect(Collectors.toSet());
            }
        }
        return Set.of();
    }

    @Override
    public List<String> addingBundle(Bundle bundle, BundleEvent event) {
        List<String> routes = declaredRoutes(bundle);
        if (routes.isEmpty()) {
            return null;
        }
        prefixes.put(bundle, routes);
        return routes;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, List<String> routes) {
        // An updated bundle may declare other routes; replaced in one step so its paths are never unclaimed.
        if (event != null && event.getType() == BundleEvent.UPDATED) {
            prefixes.put(bundle, declaredRoutes(bundle));
        }
    }

    private static List<String> declaredRoutes(Bundle bundle) {
        String header = bundle.getHeaders("").get(RestApi.ROUTES_HEADER);
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::trim).filter(s -> s.startsWith("/")).toList();
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, List<String> routes) {
        prefixes.remove(bundle);
    }
}
