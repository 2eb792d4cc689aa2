package io.goatflow.wasm.internal;

import io.goatflow.plugin.api.GoatPlugin;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plugins directory: every {@code *.wasm} file becomes a {@link GoatPlugin} service (the plugin host
 * picks it up through the whiteboard), a changed file replaces its service (the host re-applies the manifest), a
 * removed file unregisters it. A module that cannot be compiled or has no manifest is registered as a plugin whose
 * manifest fails, so the host lists it as invalid with the reason instead of it vanishing silently.
 */
@Component(immediate = true, configurationPid = "io.goatflow.wasm", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WasmRuntimeConfig.class)
public final class WasmPluginDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(WasmPluginDirectory.class);
    private static final String RUNTIME = "goatflow.plugin.runtime";

    /** One loaded file. */
    private record Loaded(long size, long modified, ServiceRegistration<GoatPlugin> registration) {
    }

    private final BundleContext context;
    private final WasmRuntimeConfig config;
    private final Path directory;
    private final ScheduledExecutorService scanner;
    private final ScheduledExecutorService timers;
    private final Map<String, Loaded> loaded = new HashMap<>();

    @Activate
    public WasmPluginDirectory(BundleContext context, WasmRuntimeConfig config) {
        this.context = context;
        this.config = config;
        String configured = config.directory() == null ? "" : config.directory().trim();
        this.directory = configured.isEmpty()
                ? Path.of(System.getProperty("karaf.base", "."), "plugins") : Path.of(configured);
        AtomicInteger threads = new AtomicInteger();
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "goatflow-wasm-scan"));
        this.timers = Executors.newScheduledThreadPool(1, r -> daemon(r, "goatflow-wasm-timer-"
                + threads.incrementAndGet()));
        scanner.scheduleWithFixedDelay(this::scan, 0, Math.max(100, config.scan_interval_ms()),
                TimeUnit.MILLISECONDS);
        LOG.info("WASM plugins are read from {}", directory.toAbsolutePath());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
        try {
            scanner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (loaded) {
            loaded.values().forEach(l -> unregister(l.registration()));
            loaded.clear();
        }
        timers.shutdownNow();
    }

    /** One pass over the directory; also the unit of work the tests wait for. */
    void scan() {
        if (context.getBundle(0).getState() != org.osgi.framework.Bundle.ACTIVE) {
            // the framework is still starting: registering services from this thread meanwhile has raced the Aries
            // JAX-RS whiteboard's own start (ConcurrentModificationException in its activator); wait for the next round
            return;
        }
        try {
            Set<String> seen = new TreeSet<>();
            if (Files.isDirectory(directory)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.wasm")) {
                    for (Path file : files) {
                        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        if (!attributes.isRegularFile()) {
                            continue;
                        }
                        String name = file.getFileName().toString();
                        seen.add(name);
                        Loaded current;
                        synchronized (loaded) {
                            current = loaded.get(name);
                        }
                        long modified = attributes.lastModifiedTime().toMillis();
                        if (current == null || current.size() != attributes.size()
                                || current.modified() != modified) {
                            load(file, name, attributes.size(), modified, current);
                        }
                    }
                }
            }
            synchronized (loaded) {
                loaded.entrySet().removeIf(e -> {
                    if (seen.contains(e.getKey())) {
                        return false;
                    }
                    LOG.info("WASM plugin file {} removed; unloading it", e.getKey());
                    unregister(e.getValue().registration());
                    return true;
                });
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Scanning {} failed: {}", directory, e.toString());
        }
    }

    private void load(Path file, String name, long size, long modified, Loaded previous) throws IOException {
        GoatPlugin plugin;
        if (size > config.max_module_bytes()) {
            plugin = new Broken(name + " is larger than " + config.max_module_bytes() + " bytes");
        } else {
            byte[] bytes = Files.readAllBytes(file);
            try {
                plugin = new WasmPlugin(name, bytes, config, timers);
            } catch (RuntimeException | StackOverflowError e) {
                plugin = new Broken(name + " could not be loaded: " + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
                LOG.warn("WASM plugin {} could not be loaded", name, e);
            }
        }
        if (previous != null) {
            LOG.info("WASM plugin file {} changed; replacing it", name);
            unregister(previous.registration());
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(RUNTIME, "wasm");
        properties.put("goatflow.plugin.file", name);
        properties.put("component.name", "wasm:" + name);
        ServiceRegistration<GoatPlugin> registration = context.registerService(GoatPlugin.class, plugin, properties);
        synchronized (loaded) {
            loaded.put(name, new Loaded(size, modified, registration));
        }
    }

    private static void unregister(ServiceRegistration<GoatPlugin> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    /** A module that could not be loaded: its manifest fails with the reason, so the host reports it. */
    private record Broken(String reason) implements GoatPlugin {
        @Override
        public String manifestJson() {
            throw new IllegalStateException(reason);
        }

        @Override
        public String call(String function, String jsonArgs) {
            throw new IllegalStateException(reason);
        }
    }
}
