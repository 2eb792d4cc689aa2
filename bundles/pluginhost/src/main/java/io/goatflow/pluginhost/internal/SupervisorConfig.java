package io.goatflow.pluginhost.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goatflow.pluginhost.supervisor} (etc/io.goatflow.pluginhost.supervisor.cfg). */
@ObjectClassDefinition(name = "GoatFlow plugin supervisor")
public @interface SupervisorConfig {
    @AttributeDefinition(description = "Ping every loaded plugin with __health_ping__")
    boolean health_check() default true;

    @AttributeDefinition(description = "Restart plugins that became unhealthy")
    boolean auto_restart() default true;

    @AttributeDefinition(description = "Time between health pings")
    long interval_ms() default 60_000;

    @AttributeDefinition(description = "A ping that takes longer counts as a failure (only timeouts count)")
    long timeout_ms() default 5_000;

    @AttributeDefinition(description = "Failed pings in a row that make a plugin unhealthy")
    int failures() default 3;

    @AttributeDefinition(description = "Wait before the first restart; doubles per restart until a good ping")
    long backoff_initial_ms() default 5_000;

    @AttributeDefinition(description = "Longest wait between restarts")
    long backoff_max_ms() default 300_000;

    @AttributeDefinition(description = "Restarts allowed inside the window; one more abandons the plugin (crash loop)")
    int crashloop_restarts() default 5;

    @AttributeDefinition(description = "The crash-loop window")
    long crashloop_window_ms() default 600_000;
}
