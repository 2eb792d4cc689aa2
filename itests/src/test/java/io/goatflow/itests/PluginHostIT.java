package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The example bundle plugin through the plugin host: discovered when its bundle starts, its routes answer under
 * /api/plugins/hello, disabling removes them (404) and enabling restores them, and updating the bundle re-applies
 * its manifest. Stopping the bundle unloads it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginHostIT extends GoatFlowTestSupport {

    private Bundle exampleBundle() throws Exception {
        for (Bundle b : bundleContext.getBundles()) {
            if ("io.goatflow.plugins.example".equals(b.getSymbolicName())) {
                return b;
            }
        }
        Bundle b = bundleContext.installBundle("mvn:io.goatflow/io.goatflow.plugins.example/"
                + System.getProperty("project.version"));
        b.start();
        return b;
    }

    private HttpResponse<String> awaitStatus(String path, String token, int status) throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 100; i++) {
            last = get(path, token);
            if (last != null && last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }

    @Test
    public void theExamplePluginLoadsAnswersAndCanBeSwitchedOffAndOn() throws Exception {
        String admin = adminToken();
        Bundle bundle = exampleBundle();
        HttpResponse<String> hello = awaitStatus("/api/plugins/hello/greeting?name=Ada", admin, 200);
        assertEquals(hello.body(), 200, hello.statusCode());
        assertEquals("Hello, Ada!", json(hello).path("data").path("greeting").asText());
        assertEquals("admin", json(hello).path("data").path("caller").asText());
        assertEquals("Hello, Grace!", json(get("/api/plugins/hello/greeting/Grace", admin)).path("data")
                .path("greeting").asText());
        // the plugin's own error codes come back prefixed with its name and with its status
        assertError(get("/api/plugins/hello/greeting/" + "x".repeat(41), admin), 400, "hello:bad_name");
        assertError(get("/api/plugins/hello/greeting"), 401, "UNAUTHORIZED");
        assertError(get("/api/plugins/hello/nothing-here", admin), 404, "NOT_FOUND");
        assertError(get("/api/plugins/nobody/greeting", admin), 404, "NOT_FOUND");

        // the list shows it with its routes and widget; the call went through the host API (log, time)
        JsonNode list = json(get("/api/v1/plugins", admin)).path("data");
        JsonNode entry = null;
        for (JsonNode p : list) {
            if ("hello".equals(p.path("name").asText())) {
                entry = p;
            }
        }
        assertTrue(list.toString(), entry != null);
        assertEquals("loaded", entry.path("status").asText());
        assertTrue(entry.toString(), entry.path("routes").toString().contains("GET /api/plugins/hello/greeting"));
        assertEquals("hello_clock", entry.path("widgets").get(0).path("id").asText());
        JsonNode clock = json(post("/api/v1/plugins/hello/call/clock", admin, "{}")).path("data");
        assertTrue(clock.toString(), clock.path("now").asText().matches("\\d{4}-.*Z"));
        assertTrue(json(get("/api/v1/plugins/hello/logs", admin)).path("data").toString().contains("greeted Ada"));

        // disable: the routes are gone for everyone; enable: back
        assertEquals(200, post("/api/v1/plugins/hello/disable", admin, "{}").statusCode());
        assertError(get("/api/plugins/hello/greeting", admin), 404, "NOT_FOUND");
        assertEquals(false, json(get("/api/v1/plugins/hello", admin)).path("data").path("enabled").asBoolean());
        assertEquals(200, post("/api/v1/plugins/hello/enable", admin, "{}").statusCode());
        assertEquals(200, get("/api/plugins/hello/greeting", admin).statusCode());
        assertError(post("/api/v1/plugins/nobody/disable", admin, "{}"), 404, "NOT_FOUND");

        // non-admins see usable plugins but cannot switch them
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        fx.agent(fx.name("plug.agent"), Map.of(fx.groupId("users"), new String[] {"rw"}));
        String agent = fx.agentToken(fx.name("plug.agent"));
        assertEquals(200, get("/api/plugins/hello/greeting", agent).statusCode());
        assertError(post("/api/v1/plugins/hello/disable", agent, "{}"), 404, "NOT_FOUND");
        assertError(post("/api/plugins/hello/echo", agent, "{\"a\":1}"), 404, "NOT_FOUND");
        assertEquals("{\"a\":1}", json(post("/api/plugins/hello/echo", admin, "{\"a\":1}")).path("data")
                .path("you_sent").toString());

        // updating the bundle re-registers the plugin and re-applies its manifest; stopping unloads it
        bundle.update();
        assertEquals(200, awaitStatus("/api/plugins/hello/greeting", admin, 200).statusCode());
        bundle.stop();
        assertError(awaitStatus("/api/plugins/hello/greeting", admin, 404), 404, "NOT_FOUND");
        bundle.start();
        assertEquals(200, awaitStatus("/api/plugins/hello/greeting", admin, 200).statusCode());
    }

    @Test
    public void unknownFunctionsAreAClearErrorNamingThePlugin() throws Exception {
        String admin = adminToken();
        exampleBundle();
        awaitStatus("/api/plugins/hello/greeting", admin, 200);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/plugins/hello/call/nope"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")), admin);
        assertError(r, 422, "hello:unknown_function");
    }
}
