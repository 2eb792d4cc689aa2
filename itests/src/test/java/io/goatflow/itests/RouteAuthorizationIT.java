package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.goatflow.persistence.Database;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.inject.Inject;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceMethodInfoDTO;

/**
 * The route-authorisation matrix: every route the running API serves, called by every kind of caller. A route
 * nobody classified here fails the test, so a new endpoint cannot ship without deciding who may call it.
 * Denied means 401 for anonymous or bogus credentials and 404 (the route does not exist for them) for agents
 * without the right; customers join the matrix with customer accounts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RouteAuthorizationIT extends GoatFlowTestSupport {
    enum Access { PUBLIC, AUTHENTICATED, ADMIN }

    /** Every route, "METHOD /api/path/{template}", with who may call it and a body/path sample that is valid. */
    private record Route(Access access, String samplePath, String body) {
    }

    private static final Map<String, Route> ROUTES = new TreeMap<>(Map.of(
            "GET /api/v1/version", new Route(Access.PUBLIC, "/api/v1/version", null),
            "POST /api/v1/auth/login", new Route(Access.PUBLIC, "/api/v1/auth/login", "{}"),
            "POST /api/v1/auth/logout", new Route(Access.AUTHENTICATED, "/api/v1/auth/logout", "{}"),
            "GET /api/v1/admin/sysconfig", new Route(Access.ADMIN, "/api/v1/admin/sysconfig", null),
            "GET /api/v1/admin/sysconfig/{name}", new Route(Access.ADMIN, "/api/v1/admin/sysconfig/SessionMaxTime", null),
            "PUT /api/v1/admin/sysconfig/{name}", new Route(Access.ADMIN, "/api/v1/admin/sysconfig/SessionMaxTime",
                    "{\"value\":57600}"),
            "DELETE /api/v1/admin/sysconfig/{name}", new Route(Access.ADMIN, "/api/v1/admin/sysconfig/SessionMaxTime",
                    null)));

    @Inject
    private Database database;
    @Inject
    private JaxrsServiceRuntime runtime;

    @Test
    public void everyServedRouteIsClassified() {
        TreeSet<String> served = servedRoutes();
        TreeSet<String> unclassified = new TreeSet<>(served);
        unclassified.removeAll(ROUTES.keySet());
        assertTrue("routes nobody classified in RouteAuthorizationIT: " + unclassified, unclassified.isEmpty());
        TreeSet<String> gone = new TreeSet<>(ROUTES.keySet());
        gone.removeAll(served);
        assertTrue("classified routes that are not served: " + gone, gone.isEmpty());
    }

    @Test
    public void everyRouteAnswersEveryCallerAsClassified() throws Exception {
        String agentPassword = "agent-password-" + new SecureRandom().nextInt(1_000_000);
        createAgent("agent.no.admin", agentPassword);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Route> entry : ROUTES.entrySet()) {
            String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
            Route route = entry.getValue();
            check(failures, entry.getKey(), "anonymous", call(method, route, null), route.access() == Access.PUBLIC
                    ? Expect.ALLOWED : Expect.UNAUTHORIZED);
            check(failures, entry.getKey(), "bogus token", call(method, route, "bogus-token-0123456789"),
                    route.access() == Access.PUBLIC ? Expect.ALLOWED : Expect.UNAUTHORIZED);
            String agent = TestHttp.login(http, base(), "agent.no.admin", agentPassword);
            check(failures, entry.getKey(), "agent", call(method, route, agent),
                    route.access() == Access.ADMIN ? Expect.HIDDEN : Expect.ALLOWED);
            check(failures, entry.getKey(), "admin", call(method, route, adminToken()), Expect.ALLOWED);
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }

    enum Expect { ALLOWED, UNAUTHORIZED, HIDDEN }

    private static void check(List<String> failures, String route, String caller, HttpResponse<String> r,
            Expect expect) {
        int status = r == null ? -1 : r.statusCode();
        boolean ok = switch (expect) {
            case UNAUTHORIZED -> status == 401;
            case HIDDEN -> status == 404;
            case ALLOWED -> status >= 200 && status < 500 && status != 401 && status != 403 && status != 404;
        };
        if (!ok) {
            failures.add(route + " as " + caller + ": expected " + expect + ", got " + status + " "
                    + (r == null ? "" : r.body()));
        }
    }

    private HttpResponse<String> call(String method, Route route, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + route.samplePath()));
        if (route.body() != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(route.body()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(request, token);
    }

    private TreeSet<String> servedRoutes() {
        TreeSet<String> routes = new TreeSet<>();
        ApplicationDTO goatflow = null;
        for (ApplicationDTO application : runtime.getRuntimeDTO().applicationDTOs) {
            if ("goatflow".equals(application.name)) {
                goatflow = application;
            }
        }
        assertNotNull("goatflow application in the whiteboard runtime", goatflow);
        for (ResourceDTO resource : goatflow.resourceDTOs) {
            for (ResourceMethodInfoDTO info : resource.resourceMethods) {
                String path = info.path.startsWith("/") ? info.path : "/" + info.path;
                routes.add(info.method + " /api" + path.replaceAll("\\{([a-zA-Z_]+)[^}]*}", "{$1}"));
            }
        }
        assertTrue("the API serves routes: " + routes, routes.size() >= 3);
        return routes;
    }

    private void createAgent(String login, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 6);
        database.inTransaction(c -> {
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gk_session WHERE user_id IN"
                    + " (SELECT id FROM users WHERE login = ?)")) {
                delete.setString(1, login);
                delete.executeUpdate();
            }
            try (PreparedStatement exists = c.prepareStatement("DELETE FROM group_user WHERE user_id IN"
                    + " (SELECT id FROM users WHERE login = ?)")) {
                exists.setString(1, login);
                exists.executeUpdate();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM users WHERE login = ?")) {
                delete.setString(1, login);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (login, pw, first_name, last_name,"
                    + " valid_id, create_time, create_by, change_time, change_by) VALUES (?, ?, 'Agent', 'Plain', 1,"
                    + " ?, 1, ?, 1)")) {
                insert.setString(1, login);
                insert.setString(2, hash);
                insert.setTimestamp(3, now);
                insert.setTimestamp(4, now);
                insert.executeUpdate();
            }
            try (PreparedStatement member = c.prepareStatement("INSERT INTO group_user (user_id, group_id,"
                    + " permission_key, create_time, create_by, change_time, change_by) SELECT u.id, g.id, 'rw', ?,"
                    + " 1, ?, 1 FROM users u, groups g WHERE u.login = ? AND g.name = 'users'")) {
                member.setTimestamp(1, now);
                member.setTimestamp(2, now);
                member.setString(3, login);
                assertEquals(1, member.executeUpdate());
            }
            return null;
        });
    }

    static {
        if (ROUTES.isEmpty()) {
            fail("no routes classified");
        }
    }
}
