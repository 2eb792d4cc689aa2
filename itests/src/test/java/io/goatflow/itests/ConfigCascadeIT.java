package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.events.DomainEvents;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The settings cascade over HTTP: an agent's own value beats the system override, which beats the default; each
 * answer names its {@code source}; agents do not see each other's values; customers have no own settings and
 * non-admins no resolution route (404); wrong types, read-only and not user-modifiable settings are refused.
 *
 * The organisation tier: a value set for an organisation beats the system override for its members only, loses to
 * an agent's own value, and applies from the next request on when the agent switches organisation.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigCascadeIT extends GoatFlowTestSupport {
    private static final String MINE = "/api/v1/users/me/settings";

    @Inject
    private Database database;

    private HelpDeskFixture fx;
    private String admin;
    /** A user-modifiable setting of this test (no shipped setting is one), whole-number default 25. */
    private String setting;
    private final List<String> created = new ArrayList<>();

    @Before
    public void desk() throws Exception {
        admin = adminToken();
        fx = new HelpDeskFixture(http, base(), admin);
        setting = define("Cascade" + fx.suffix + "::PageSize", "25", true);
    }

    @After
    public void dropSettings() {
        // on PostgreSQL every test class shares the database: leave no test settings behind
        for (String name : created) {
            database.inTransaction(c -> {
                for (String table : List.of("sysconfig_modified", "sysconfig_org")) {
                    Jdbc.update(c, "DELETE FROM " + table + " WHERE sysconfig_default_id IN"
                            + " (SELECT id FROM sysconfig_default WHERE name = ?)", Jdbc.params(name));
                }
                return Jdbc.update(c, "DELETE FROM sysconfig_default WHERE name = ?", Jdbc.params(name));
            });
        }
    }

    @Test
    public void anAgentsOwnValueWinsAndEveryAnswerNamesItsSource() throws Exception {
        long agentId = fx.agent(fx.name("cascade.agent"), Map.of());
        String agent = fx.agentToken(fx.name("cascade.agent"));
        long otherId = fx.agent(fx.name("cascade.other"), Map.of());
        String other = fx.agentToken(fx.name("cascade.other"));
        String path = MINE + "/" + setting;

        assertEquals("default", mine(agent).path("source").asText());
        assertEquals(25, mine(agent).path("value").asInt());

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, DomainEvents.topicOf("config.changed"));
        ServiceRegistration<EventHandler> handler = bundleContext.registerService(EventHandler.class, events::add,
                props);
        try {
            JsonNode set = fx.call("PUT", path, agent, Map.of("value", 50), 200).path("data");
            assertEquals(50, set.path("value").asInt());
            assertEquals("user", set.path("source").asText());
            assertEquals(25, set.path("default_value").asInt());
            Event event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull("config.changed event", event);
            Map<?, ?> data = (Map<?, ?>) event.getProperty(DomainEvents.DATA);
            assertEquals(setting, data.get("name"));
            assertEquals("user", data.get("tier"));
            assertEquals(agentId, ((Number) data.get("user_id")).longValue());
        } finally {
            handler.unregister();
        }

        // the system override applies to everyone without an own value, not to the agent that has one
        fx.call("PUT", "/api/v1/admin/sysconfig/" + setting, admin, Map.of("value", 30), 200);
        assertEquals("user", mine(agent).path("source").asText());
        assertEquals(50, mine(agent).path("value").asInt());
        assertEquals("system", mine(other).path("source").asText());
        assertEquals(30, mine(other).path("value").asInt());
        JsonNode adminView = fx.call("GET", "/api/v1/admin/sysconfig/" + setting, admin, null, 200).path("data");
        assertEquals("system", adminView.path("source").asText());
        assertEquals(30, adminView.path("value").asInt());

        JsonNode resolution = resolution("?user_id=" + agentId, 200).path("data");
        assertEquals("user", resolution.path("source").asText());
        assertEquals(50, resolution.path("value").asInt());
        assertEquals(50, resolution.path("tiers").path("user").path("value").asInt());
        assertTrue(resolution.toString(), resolution.path("tiers").path("org").isNull());
        assertEquals(30, resolution.path("tiers").path("system").path("value").asInt());
        assertEquals(25, resolution.path("tiers").path("default").path("value").asInt());
        JsonNode forOther = resolution("?user_id=" + otherId + "&org_id=", 200).path("data");
        assertEquals("system", forOther.path("source").asText());
        assertTrue(forOther.toString(), forOther.path("tiers").path("user").isNull());

        // dropping a tier falls back to the next one
        JsonNode dropped = fx.call("DELETE", path, agent, null, 200).path("data");
        assertEquals("system", dropped.path("source").asText());
        assertEquals(30, dropped.path("value").asInt());
        fx.call("DELETE", "/api/v1/admin/sysconfig/" + setting, admin, null, 200);
        assertEquals("default", mine(agent).path("source").asText());
        assertEquals("default", resolution("?user_id=" + agentId, 200).path("data").path("source").asText());
        fx.call("DELETE", path, agent, null, 200); // nothing left to drop: still fine
    }

    @Test
    public void anOrganisationsValueAppliesToItsMembersOnly() throws Exception {
        long memberId = fx.agent(fx.name("org.member"), Map.of());
        fx.agent(fx.name("org.outsider"), Map.of());
        long north = fx.call("POST", "/api/v1/organisations", admin, Map.of("name", "Cascade North " + fx.suffix), 201)
                .path("data").path("id").asLong();
        long south = fx.call("POST", "/api/v1/organisations", admin, Map.of("name", "Cascade South " + fx.suffix), 201)
                .path("data").path("id").asLong();
        fx.call("POST", "/api/v1/organisations/" + north + "/members", admin, Map.of("user_id", memberId,
                "is_default", true), 201);
        fx.call("POST", "/api/v1/organisations/" + south + "/members", admin, Map.of("user_id", memberId), 201);
        String member = fx.agentToken(fx.name("org.member"));
        String outsider = fx.agentToken(fx.name("org.outsider"));

        fx.call("PUT", "/api/v1/admin/sysconfig/" + setting, admin, Map.of("value", 30), 200);
        JsonNode set = fx.call("PUT", "/api/v1/organisations/" + north + "/config/" + setting, admin,
                Map.of("value", 40), 200).path("data");
        assertEquals("org", set.path("source").asText());
        assertError(put("/api/v1/organisations/" + north + "/config/" + setting, admin, "{\"value\":\"forty\"}"),
                400, "VALIDATION_FAILED");
        assertError(put("/api/v1/organisations/999999/config/" + setting, admin, "{\"value\":40}"), 404, "NOT_FOUND");
        assertError(put("/api/v1/organisations/" + north + "/config/No::Such::Setting", admin, "{\"value\":1}"), 404,
                "NOT_FOUND");
        assertEquals("org", mine(member).path("source").asText());
        assertEquals(40, mine(member).path("value").asInt());
        assertEquals("system", mine(outsider).path("source").asText());
        JsonNode listed = fx.call("GET", "/api/v1/organisations/" + north + "/config", admin, null, 200).path("data");
        assertEquals(listed.toString(), 40, listed.get(0).path("value").asInt());
        JsonNode resolution = resolution("?org_id=" + north + "&user_id=" + memberId, 200).path("data");
        assertEquals("org", resolution.path("source").asText());
        assertEquals(40, resolution.path("tiers").path("org").path("value").asInt());

        // switching organisation switches the value on the next request
        fx.call("POST", "/api/v1/session/org", member, Map.of("org_id", south), 200);
        assertEquals("system", mine(member).path("source").asText());
        fx.call("POST", "/api/v1/session/org", member, Map.of("org_id", north), 200);
        // the agent's own value wins over the organisation's; dropping it brings the organisation's back
        fx.call("PUT", MINE + "/" + setting, member, Map.of("value", 60), 200);
        assertEquals("user", mine(member).path("source").asText());
        fx.call("DELETE", MINE + "/" + setting, member, null, 200);
        assertEquals(40, mine(member).path("value").asInt());
        JsonNode reset = fx.call("DELETE", "/api/v1/organisations/" + north + "/config/" + setting, admin, null, 200)
                .path("data");
        assertEquals("system", reset.path("source").asText());
        assertEquals("system", mine(member).path("source").asText());
        fx.call("DELETE", "/api/v1/admin/sysconfig/" + setting, admin, null, 200);
    }

    @Test
    public void badValuesAndSettingsAgentsMayNotSetAreRefused() throws Exception {
        fx.agent(fx.name("refused.agent"), Map.of());
        String agent = fx.agentToken(fx.name("refused.agent"));
        String path = MINE + "/" + setting;

        assertError(put(path, agent, "{\"value\":\"fifty\"}"), 400, "VALIDATION_FAILED");
        assertError(put(path, agent, "{\"value\":2.5}"), 400, "VALIDATION_FAILED");
        assertError(put(path, agent, "{\"value\":null}"), 400, "VALIDATION_FAILED");
        assertError(put(path, agent, "{\"value\":1,\"other\":2}"), 400, "INVALID_JSON");
        assertError(put(MINE + "/SessionMaxTime", agent, "{\"value\":60}"), 409, "SETTING_NOT_USER_MODIFIABLE");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + MINE + "/SessionMaxTime")).DELETE(), agent), 409,
                "SETTING_NOT_USER_MODIFIABLE");
        assertError(put(MINE + "/NoSuchSetting" + fx.suffix, agent, "{\"value\":1}"), 404, "NOT_FOUND");
        assertEquals("default", mine(agent).path("source").asText());

        String locked = define("Cascade" + fx.suffix + "::Locked", "true", true);
        database.inTransaction(c -> Jdbc.update(c, "UPDATE sysconfig_default SET is_readonly = 1 WHERE name = ?",
                Jdbc.params(locked)));
        assertError(put(MINE + "/" + locked, agent, "{\"value\":false}"), 409, "SETTING_READONLY");
        for (JsonNode listed : fx.call("GET", MINE + "?per_page=100", agent, null, 200).path("data")) {
            assertFalse("read-only settings are not listed as the agent's: " + listed,
                    listed.path("name").asText().equals(locked));
        }
    }

    @Test
    public void customersHaveNoOwnSettingsAndOnlyAdminsSeeResolutions() throws Exception {
        String company = fx.name("cascade-co");
        fx.company(company);
        fx.customer(fx.name("cascade.cust"), company);
        String customer = fx.customerToken(fx.name("cascade.cust"));
        fx.agent(fx.name("cascade.plain"), Map.of());
        String agent = fx.agentToken(fx.name("cascade.plain"));

        assertError(get(MINE, customer), 404, "NOT_FOUND");
        assertError(put(MINE + "/" + setting, customer, "{\"value\":50}"), 404, "NOT_FOUND");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + MINE + "/" + setting)).DELETE(), customer), 404,
                "NOT_FOUND");
        assertError(get(MINE), 401, "UNAUTHORIZED");

        String route = "/api/v1/sysconfig/" + setting + "/resolution";
        assertError(get(route, agent), 404, "NOT_FOUND");
        assertError(get(route, customer), 404, "NOT_FOUND");
        assertError(get(route), 401, "UNAUTHORIZED");
        assertError(get("/api/v1/sysconfig/NoSuchSetting" + fx.suffix + "/resolution", admin), 404, "NOT_FOUND");
        assertError(get(route + "?org_id=abc", admin), 400, "VALIDATION_FAILED");
        assertError(get(route + "?user_id=-3", admin), 400, "VALIDATION_FAILED");

        JsonNode listed = fx.call("GET", "/api/v1/admin/sysconfig?search=" + fx.suffix, admin, null, 200).path("data");
        assertEquals(listed.toString(), 1, listed.size());
        assertEquals("default", listed.get(0).path("source").asText());
        assertTrue(listed.get(0).path("user_modifiable").asBoolean());
    }

    /** The agent's entry for {@link #setting} in its own settings list. */
    private JsonNode mine(String token) throws Exception {
        for (JsonNode entry : fx.call("GET", MINE + "?per_page=100", token, null, 200).path("data")) {
            if (entry.path("name").asText().equals(setting)) {
                return entry;
            }
        }
        throw new AssertionError(setting + " is not among the agent's settings");
    }

    private JsonNode resolution(String query, int status) throws Exception {
        return fx.call("GET", "/api/v1/sysconfig/" + setting + "/resolution" + query, admin, null, status);
    }

    /**
     * A setting straight in the table, as an area's migration would seed it: no REST route defines settings, and
     * none shipped is user-modifiable.
     */
    private String define(String name, String jsonDefault, boolean userModifiable) {
        int flag = userModifiable ? 1 : 0;
        database.inTransaction(c -> Jdbc.update(c, "INSERT INTO sysconfig_default (name, description, navigation,"
                + " effective_value, user_modification_possible, user_modification_active, create_time, create_by,"
                + " change_time, change_by) VALUES (?, 'ConfigCascadeIT', 'Test', ?, ?, ?, CURRENT_TIMESTAMP, 1,"
                + " CURRENT_TIMESTAMP, 1)", Jdbc.params(name, jsonDefault, flag, flag)));
        created.add(name);
        return name;
    }
}
