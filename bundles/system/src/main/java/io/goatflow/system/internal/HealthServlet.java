package io.goatflow.system.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.rest.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} for load balancers and monitors: 200 when the database answers within the timeout, 503
 * otherwise. Public, so it names the database kind but never hosts or errors; those go to the log, once per
 * change of state.
 */
@Component(service = Servlet.class, configurationPid = "io.goatflow.system")
@Designate(ocd = HealthConfig.class)
@HttpWhiteboardServletName("goatflow-health")
@HttpWhiteboardServletPattern("/health")
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration timeout;
    private volatile Boolean lastUp;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Database database;

    @Activate
    public HealthServlet(HealthConfig config) {
        this.timeout = Duration.ofMillis(Math.max(50, config.database_timeout_ms()));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Database current = database;
        Envelope body;
        int status;
        if (current == null) {
            status = 503;
            body = Envelope.error("DATABASE_UNAVAILABLE", "The database layer is starting");
            noteState(false, "persistence bundle not running");
        } else {
            DatabaseStatus db = current.ping(timeout);
            noteState(db.up(), db.error());
            if (db.up()) {
                status = 200;
                Map<String, Object> database = new LinkedHashMap<>();
                database.put("kind", db.kind().id());
                database.put("status", "up");
                database.put("latency_ms", db.latencyMillis());
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("status", "ok");
                data.put("database", database);
                body = Envelope.ok(data);
            } else {
                status = 503;
                body = Envelope.error("DATABASE_UNAVAILABLE",
                        "The " + db.kind().id() + " database did not answer within " + timeout.toMillis() + " ms");
            }
        }
        response.setStatus(status);
        if (status == 503) {
            response.setHeader("Retry-After", "5");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), body);
    }

    private void noteState(boolean up, String detail) {
        Boolean previous = lastUp;
        if (previous == null || previous != up) {
            lastUp = up;
            if (up) {
                LOG.info("Health: database reachable");
            } else {
                LOG.warn("Health: database unreachable: {}", detail);
            }
        }
    }
}
