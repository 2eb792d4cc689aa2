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

    private HttpResponse<String> getIn(String language, String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Accept-Language", language), token);
    }

    private static JsonNode find(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (id.equals(item.path("id").asText())) {
                return item;
            }
        }
        return null;
    }

    @Test
    public void widgetsMenuItemsTranslationsAndErrorCodesFollowThePlugin() throws Exception {
        String admin = adminToken();
        exampleBundle();
        awaitStatus("/api/plugins/hello/greeting", admin, 200);
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        fx.agent(fx.name("contrib.agent"), Map.of(fx.groupId("users"), new String[] {"ro"}));
        String agent = fx.agentToken(fx.name("contrib.agent"));

        // widgets: listed for agents with titles in their language, content from the plugin's handler
        JsonNode clock = find(json(getIn("de", "/api/v1/plugins/widgets", agent)).path("data"), "hello_clock");
        assertTrue(clock != null);
        assertEquals("Uhr", clock.path("title").asText());
        assertEquals("Die Zeit des Servers", clock.path("description").asText());
        assertEquals("small", clock.path("size").asText());
        assertEquals("Clock", find(json(get("/api/v1/plugins/widgets?location=dashboard", agent)).path("data"),
                "hello_clock").path("title").asText());
        assertEquals(null, find(json(get("/api/v1/plugins/widgets?location=admin_home", agent)).path("data"),
                "hello_clock"));
        JsonNode content = json(get("/api/v1/plugins/hello/widgets/hello_clock", agent)).path("data");
        assertTrue(content.toString(), content.path("now").asText().matches("\\d{4}-.*Z"));
        assertError(get("/api/v1/plugins/hello/widgets/nope", agent), 404, "NOT_FOUND");
        assertError(get("/api/v1/plugins/widgets"), 401, "UNAUTHORIZED");

        // menu items per location, translated; a customer's menu has none of the agent items
        JsonNode menu = json(getIn("de-AT", "/api/v1/plugins/menu?location=agent", agent)).path("data");
        assertEquals("Hallo", find(menu, "hello").path("label").asText());
        assertEquals("/api/plugins/hello/greeting", find(menu, "hello").path("path").asText());
        assertEquals(0, json(get("/api/v1/plugins/menu?location=admin", agent)).path("data").size());
        assertError(get("/api/v1/plugins/menu?location=everywhere", agent), 400, "VALIDATION_FAILED");
        String company = fx.name("contrib-co");
        fx.company(company);
        fx.customer(fx.name("contrib.customer"), company);
        String customer = fx.customerToken(fx.name("contrib.customer"));
        assertEquals(null, find(json(get("/api/v1/plugins/menu", customer)).path("data"), "hello"));

        // the translate host call and declared error codes speak the caller's language
        assertEquals("Hallo, Ada!", json(get("/api/plugins/hello/greeting?name=Ada&lang=de", agent)).path("data")
                .path("greeting").asText());
        HttpResponse<String> tooLong = getIn("de", "/api/plugins/hello/greeting/" + "x".repeat(41), agent);
        assertError(tooLong, 400, "hello:bad_name");
        assertEquals("Namen haben höchstens 40 Zeichen", json(tooLong).path("error").path("message").asText());

        // disabled: no widgets, no menu items, no widget content; enabled: all back
        assertEquals(200, post("/api/v1/plugins/hello/disable", admin, "{}").statusCode());
        try {
            assertEquals(null, find(json(get("/api/v1/plugins/widgets", agent)).path("data"), "hello_clock"));
            assertEquals(null, find(json(get("/api/v1/plugins/menu", agent)).path("data"), "hello"));
            assertError(get("/api/v1/plugins/hello/widgets/hello_clock", agent), 404, "NOT_FOUND");
        } finally {
            assertEquals(200, post("/api/v1/plugins/hello/enable", admin, "{}").statusCode());
        }
        assertTrue(find(json(get("/api/v1/plugins/widgets", agent)).path("data"), "hello_clock") != null);
        assertEquals(200, get("/api/v1/plugins/cascades", admin).statusCode());
        assertError(get("/api/v1/plugins/cascades", agent), 404, "NOT_FOUND");
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
