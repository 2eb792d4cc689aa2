package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goatflow.plugin.api.GoatPlugin;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.ConfigSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health of every loaded plugin: {@code __health_ping__} on a schedule, where only a timeout counts as a failure
 * (any answer, even an error, means alive); {@code failures} timeouts in a row make the plugin unhealthy, and an
 * unhealthy plugin is restarted (WASM: new instances; bundle: bundle stop and start) with backoff, until the
 * {@link CrashLoopGuard} abandons it. An admin's reset is also written as the setting
 * {@code Plugin::<name>::CrashLoopReset} so every instance sharing the database clears its crash loop.
 */
@Component(service = PluginSupervisor.class, immediate = true, configurationPid = "io.goatflow.pluginhost.supervisor",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SupervisorConfig.class)
public final class PluginSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSupervisor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Health of one plugin on this instance. */
    static final class Health {
        final CrashLoopGuard guard;
        volatile Instant lastCheck;
        volatile Instant lastSuccess;
        volatile int consecutiveFailures;
        volatile String lastError;
        volatile JsonNode payload;
        volatile boolean healthy;
        volatile boolean checked;
        volatile Instant nextRestartAt;
        volatile int restartsTotal;
        volatile Future<?> running;
        volatile long resetSeen;

        Health(CrashLoopGuard guard) {
            this.guard = guard;
        }
    }

    private final PluginHost host;
    private final ConfigGet config;
    private final ConfigSet settings;
    private final SupervisorConfig options;
    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService pings;

    @Activate
    public PluginSupervisor(@Reference PluginHost host, @Reference ConfigGet config, @Reference ConfigSet settings,
            SupervisorConfig options) {
        this.host = host;
        this.config = config;
        this.settings = settings;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "goatflow-plugin-supervisor"));
        this.pings = Executors.newCachedThreadPool(r -> daemon(r, "goatflow-plugin-ping-" + n.incrementAndGet()));
        if (options.health_check()) {
            long interval = Math.max(100, options.interval_ms());
            scheduler.scheduleWithFixedDelay(this::tick, Math.min(interval, 1000), interval, TimeUnit.MILLISECONDS);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        pings.shutdownNow();
    }

    private Health state(String name) {
        return health.computeIfAbsent(name, n -> new Health(new CrashLoopGuard(options.crashloop_restarts(),
                Duration.ofMillis(options.crashloop_window_ms()), Duration.ofMillis(options.backoff_initial_ms()),
                Duration.ofMillis(options.backoff_max_ms()))));
    }

    /** One round: ping every loaded plugin, then restart those whose time has come. */
    void tick() {
        try {
            for (PluginHost.Entry e : host.list()) {
                if (e.status == PluginHost.Status.LOADED && host.enabled(e.name)) {
                    check(e.name);
                }
            }
            health.keySet().removeIf(name -> host.get(name).isEmpty());
        } catch (RuntimeException ex) {
            LOG.warn("Plugin health round failed", ex);
        }
    }

    private void check(String name) {
        Health h = state(name);
        applySharedReset(name, h);
        if (h.guard.abandoned()) {
            // a crash-looping plugin is left alone (a stuck ping would keep a core busy) until an admin resets it
            return;
        }
        Instant now = Instant.now();
        h.lastCheck = now;
        boolean ok;
        String error = null;
        Future<?> previous = h.running;
        if (previous != null && !previous.isDone()) {
            ok = false;
            error = "the previous ping has not returned";
        } else {
            Future<String> ping = pings.submit(() -> host.callPlugin(name, GoatPlugin.HEALTH_PING, "{}"));
            h.running = ping;
            try {
                String answer = ping.get(options.timeout_ms(), TimeUnit.MILLISECONDS);
                ok = true;
                h.payload = payload(answer);
            } catch (TimeoutException timeout) {
                ok = false;
                error = "no answer within " + options.timeout_ms() + " ms";
            } catch (ExecutionException answeredWithError) {
                // an error is an answer: the plugin is alive, whether or not it implements the ping
                ok = !(answeredWithError.getCause() instanceof io.goatflow.plugin.api.PluginCallException p)
                        || !"timeout".equals(p.code());
                error = ok ? null : "the ping timed out in the runtime";
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        boolean wasHealthy = h.healthy;
        if (ok) {
            h.consecutiveFailures = 0;
            h.lastSuccess = now;
            h.lastError = null;
            h.healthy = true;
            h.nextRestartAt = null;
            h.guard.healthy();
        } else {
            h.consecutiveFailures++;
            h.lastError = error;
            if (h.consecutiveFailures >= Math.max(1, options.failures())) {
                h.healthy = false;
            }
        }
        if (h.checked && wasHealthy != h.healthy || !h.checked && ok) {
            String change = h.healthy ? "healthy" : "unhealthy after " + h.consecutiveFailures + " failed pings";
            host.logs().add(name, h.healthy ? "info" : "error", "health: " + change);
            LOG.info("Plugin {} is {}", name, change);
        }
        h.checked = true;
        if (!h.healthy && h.consecutiveFailures >= Math.max(1, options.failures()) && options.auto_restart()) {
            maybeRestart(name, h, now);
        }
    }

    private void maybeRestart(String name, Health h, Instant now) {
        if (h.guard.abandoned()) {
            return;
        }
        if (h.nextRestartAt == null) {
            h.nextRestartAt = now.plus(h.guard.backoff());
            host.logs().add(name, "warn", "restart in " + h.guard.backoff().toMillis() + " ms");
            return;
        }
        if (now.isBefore(h.nextRestartAt)) {
            return;
        }
        if (!h.guard.tryRestart(now)) {
            host.logs().add(name, "error", "crash loop: more than " + options.crashloop_restarts()
                    + " restarts in " + options.crashloop_window_ms() / 1000 + " s; no more restarts until an admin "
                    + "resets it");
            LOG.error("Plugin {} is in a crash loop; automatic restarts stop until reset-crashloop", name);
            h.nextRestartAt = null;
            return;
        }
        h.restartsTotal++;
        h.consecutiveFailures = 0;
        h.nextRestartAt = null;
        host.logs().add(name, "warn", "restarting (restart " + h.guard.recentRestarts(now) + " in the window)");
        try {
            host.restart(name);
        } catch (RuntimeException e) {
            host.logs().add(name, "error", "restart failed: " + e.getMessage());
            LOG.warn("Restarting plugin {} failed", name, e);
        }
    }

    private static JsonNode payload(String answer) {
        if (answer == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(answer);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

    static String resetSetting(String name) {
        return "Plugin::" + name + "::CrashLoopReset";
    }

    /** A reset written by an admin on any instance clears this instance's crash loop too. */
    private void applySharedReset(String name, Health h) {
        long resetAt = config.setting(resetSetting(name)).map(s -> s.value())
                .map(v -> v instanceof Number n ? n.longValue() : parse(String.valueOf(v))).orElse(0L);
        if (resetAt > h.resetSeen) {
            h.resetSeen = resetAt;
            if (h.guard.abandoned()) {
                h.guard.reset();
                h.nextRestartAt = null;
                host.logs().add(name, "info", "crash loop reset");
            }
        }
    }

    private static long parse(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    /** The admin's reset: clears the crash loop here and, through the database, on every other instance. */
    void resetCrashLoop(String name, long userId) {
        long now = System.currentTimeMillis();
        settings.define(resetSetting(name), "When an admin last reset the crash loop of plugin " + name
                + " (epoch milliseconds).", "Plugins", "0");
        settings.set(resetSetting(name), String.valueOf(now), userId);
        Health h = state(name);
        h.resetSeen = now;
        h.guard.reset();
        h.nextRestartAt = null;
        h.consecutiveFailures = 0;
        host.logs().add(name, "info", "crash loop reset by user " + userId);
    }

    /** The health view of one plugin for the admin API and shell. */
    Map<String, Object> view(String name) {
        Health h = health.get(name);
        Map<String, Object> v = new LinkedHashMap<>();
        Instant now = Instant.now();
        boolean crashLoop = h != null && h.guard.abandoned();
        String status = h == null || !h.checked ? "pending" : crashLoop ? "crash_loop" : h.healthy ? "healthy"
                : h.consecutiveFailures > 0 || h.lastError != null ? "unhealthy" : "pending";
        v.put("status", status);
        v.put("healthy", h != null && h.healthy);
        v.put("last_check", h == null ? null : h.lastCheck);
        v.put("last_success", h == null ? null : h.lastSuccess);
        v.put("consecutive_failures", h == null ? 0 : h.consecutiveFailures);
        v.put("last_error", h == null ? null : h.lastError);
        v.put("payload", h == null ? null : h.payload);
        v.put("restarts", h == null ? 0 : h.restartsTotal);
        v.put("recent_restarts", h == null ? 0 : h.guard.recentRestarts(now));
        v.put("crash_loop", crashLoop);
        v.put("crash_loop_since", crashLoop ? h.guard.abandonedAt() : null);
        v.put("next_restart_at", h == null ? null : h.nextRestartAt);
        return v;
    }
}
