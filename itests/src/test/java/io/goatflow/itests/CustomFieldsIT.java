package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.plugin.api.GoatPlugin;
import io.goatflow.plugin.api.HostApi;
import io.goatflow.plugin.api.HostCallException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * Custom fields as admins, agents, customers and plugins use them: definitions of all 15 types, validated values,
 * every query operator, atomic operations under concurrency, the owning entity's visibility, plugin prefixes, a
 * catastrophic regex, and the copy of legacy OTRS dynamic fields.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CustomFieldsIT extends GoatFlowTestSupport {
    private static final String DEFS = "/api/v1/custom-fields/definitions";

    @Inject
    private Database database;

    /** A queue, an agent with rw on it, one without rights, a customer with a ticket there. */
    private final class Desk {
        final HelpDeskFixture fx;
        final String admin;
        final long queue;
        final String agent;
        final long agentId;
        final String outsider;
        final String customer;
        final String otherCustomer;
        final String customerLogin;

        Desk(String tag) throws Exception {
            fx = new HelpDeskFixture(http, base(), adminToken());
            admin = adminToken();
            long group = fx.group(fx.name(tag));
            queue = fx.queue(tag + " " + fx.suffix, group);
            agentId = fx.agent(fx.name(tag + ".agent"), Map.of(group, new String[] {"rw"}));
            agent = fx.agentToken(fx.name(tag + ".agent"));
            fx.agent(fx.name(tag + ".outsider"), Map.of());
            outsider = fx.agentToken(fx.name(tag + ".outsider"));
            String company = fx.name(tag + "-co");
            fx.company(company);
            customerLogin = fx.name(tag + ".cust");
            fx.customer(customerLogin, company);
            customer = fx.customerToken(customerLogin);
            String otherCompany = fx.name(tag + "-other");
            fx.company(otherCompany);
            fx.customer(fx.name(tag + ".other"), otherCompany);
            otherCustomer = fx.customerToken(fx.name(tag + ".other"));
        }

        long ticket(String title) throws Exception {
            return fx.call("POST", "/api/v1/tickets", agent, Map.of("title", title, "queue_id", queue,
                    "customer_user_id", customerLogin, "article", Map.of("channel", "phone", "body", title)), 201)
                    .path("data").path("id").asLong();
        }

        long field(String entity, String name, String type, Map<String, Object> extra) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("entity_type", entity);
            body.put("name", name);
            body.put("label", name.replace('_', ' '));
            body.put("field_type", type);
            body.putAll(extra);
            return fx.call("POST", DEFS, admin, body, 201).path("data").path("id").asLong();
        }

        JsonNode put(String entity, long id, String token, Object values, int status) throws Exception {
            return fx.call("PUT", "/api/v1/custom-fields/values/" + entity + "/" + id, token, Map.of("values", values),
                    status);
        }

        JsonNode values(String entity, long id, String token) throws Exception {
            return fx.call("GET", "/api/v1/custom-fields/values/" + entity + "/" + id, token, null, 200)
                    .path("data").path("values");
        }

        List<Long> query(String token, Object... filters) throws Exception {
            List<Long> ids = new ArrayList<>();
            fx.call("POST", "/api/v1/custom-fields/query", token, Map.of("entity_type", "ticket", "filters",
                    List.of(filters)), 200).path("data").path("ids").forEach(i -> ids.add(i.asLong()));
            return ids;
        }
    }

    private static Map<String, Object> filter(String field, String op, Object value, Object value2) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("field", field);
        f.put("op", op);
        f.put("value", value);
        if (value2 != null) {
            f.put("value2", value2);
        }
        return f;
    }

    private static String unique(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime(), 36);
    }

    @Test
    public void everyTypeKeepsValidValuesAndRefusesInvalidOnesWithoutWritingAnything() throws Exception {
        Desk d = new Desk("types");
        String p = unique("t");
        Map<String, Object[]> cases = new LinkedHashMap<>();
        // name -> {type, config, valid value, invalid value}
        cases.put("text", new Object[] {"text", Map.of("max_length", 20), "Serial 42", "x".repeat(21)});
        cases.put("textarea", new Object[] {"textarea", Map.of(), "line 1\nline 2", 42});
        cases.put("integer", new Object[] {"integer", Map.of("min", 0, "max", 10), 7, 11});
        cases.put("decimal", new Object[] {"decimal", Map.of("scale", 2), 19.95, 1.234});
        cases.put("boolean", new Object[] {"boolean", Map.of(), true, "yes"});
        cases.put("date", new Object[] {"date", Map.of("min", "2020-01-01"), "2026-11-23", "2019-12-31"});
        cases.put("datetime", new Object[] {"datetime", Map.of(), "2026-11-23T14:30:00Z", "tomorrow"});
        cases.put("select", new Object[] {"select", Map.of("options", List.of("low", "high")), "high", "mid"});
        cases.put("multi", new Object[] {"multi_select", Map.of("options", List.of("a", "b", "c")), List.of("a", "c"),
            List.of("a", "z")});
        cases.put("url", new Object[] {"url", Map.of(), "https://example.com/docs", "javascript:alert(1)"});
        cases.put("email", new Object[] {"email", Map.of(), "ada@example.com", "ada@"});
        cases.put("phone", new Object[] {"phone", Map.of(), "+49 30 1234-5678", "call me maybe"});
        cases.put("point", new Object[] {"point", Map.of(), Map.of("lat", 52.52, "lng", 13.405),
            Map.of("lat", 123, "lng", 0)});
        cases.put("polygon", new Object[] {"polygon", Map.of(), Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(13, 52), List.of(14, 52), List.of(14, 53), List.of(13, 53), List.of(13, 52)))),
            Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(13, 52), List.of(14, 53),
                    List.of(14, 52), List.of(13, 53), List.of(13, 52))))});
        cases.put("address", new Object[] {"address", Map.of(), Map.of("street", "Unter den Linden 1", "postcode",
                "10117", "city", "Berlin", "country", "de"), Map.of("planet", "Mars")});
        assertEquals(15, cases.size());
        for (var c : cases.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) c.getValue()[1];
            d.field("ticket", p + "_" + c.getKey(), (String) c.getValue()[0], Map.of("config", config));
        }
        long ticket = d.ticket("Typed fields");
        Map<String, Object> valid = new LinkedHashMap<>();
        Map<String, Object> invalid = new LinkedHashMap<>();
        cases.forEach((k, v) -> {
            valid.put(p + "_" + k, v[2]);
            invalid.put(p + "_" + k, v[3]);
        });
        JsonNode stored = d.put("ticket", ticket, d.agent, valid, 200).path("data").path("values");
        assertEquals("Serial 42", stored.path(p + "_text").asText());
        assertEquals(7, stored.path(p + "_integer").asInt());
        assertEquals(19.95, stored.path(p + "_decimal").asDouble(), 0);
        assertTrue(stored.path(p + "_boolean").asBoolean());
        assertEquals("2026-11-23", stored.path(p + "_date").asText());
        assertEquals("2026-11-23T14:30:00Z", stored.path(p + "_datetime").asText());
        assertEquals("[\"a\",\"c\"]", stored.path(p + "_multi").toString());
        assertEquals(52.52, stored.path(p + "_point").path("lat").asDouble(), 1e-9);
        assertEquals("Polygon", stored.path(p + "_polygon").path("type").asText());
        assertEquals("DE", stored.path(p + "_address").path("country").asText());

        // every invalid value is named with its reason, and none of the valid ones was touched
        JsonNode refused = d.put("ticket", ticket, d.agent, invalid, 400);
        assertEquals("VALIDATION_FAILED", refused.path("error").path("code").asText());
        JsonNode reasons = refused.path("error").path("fields");
        for (String k : cases.keySet()) {
            assertTrue(k + " in " + reasons, reasons.path(p + "_" + k).asText().length() > 3);
        }
        assertTrue(reasons.toString(), reasons.path(p + "_integer").asText().contains("at most 10"));
        assertTrue(reasons.toString(), reasons.path(p + "_select").asText().contains("low, high"));
        assertTrue(reasons.toString(), reasons.path(p + "_polygon").asText().contains("crosses itself"));
        assertEquals(stored, d.values("ticket", ticket, d.agent));

        // a mix of valid and invalid values is refused as a whole
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put(p + "_text", "changed");
        mixed.put(p + "_integer", 99);
        d.put("ticket", ticket, d.agent, mixed, 400);
        assertEquals("Serial 42", d.values("ticket", ticket, d.agent).path(p + "_text").asText());

        // clearing: null removes a value; an unknown field is named
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put(p + "_text", null);
        assertTrue(d.put("ticket", ticket, d.agent, clear, 200).path("data").path("values").path(p + "_text").isNull());
        JsonNode unknown = d.put("ticket", ticket, d.agent, Map.of("no_such_field", 1), 400);
        assertTrue(unknown.toString(), unknown.path("error").path("fields").has("no_such_field"));
        assertError(put("/api/v1/custom-fields/values/ticket/" + ticket, d.agent, "{\"values\": {"), 400,
                "INVALID_JSON");
    }

    @Test
    public void definitionsAreValidatedAndOnlyAdminsChangeThem() throws Exception {
        Desk d = new Desk("defs");
        String name = unique("def");
        JsonNode bad = d.fx.call("POST", DEFS, d.admin, Map.of("entity_type", "spaceship", "name", "Bad Name!",
                "field_type", "colour", "label", ""), 400).path("error").path("fields");
        for (String member : List.of("entity_type", "name", "field_type", "label")) {
            assertTrue(member + " in " + bad, bad.has(member));
        }
        JsonNode badConfig = d.fx.call("POST", DEFS, d.admin, Map.of("entity_type", "ticket", "name", name,
                "label", "X", "field_type", "text", "config", Map.of("regex", "(unclosed")), 400);
        assertTrue(badConfig.toString(), badConfig.path("error").path("fields").path("config").asText()
                .contains("regular expression"));
        d.fx.call("POST", DEFS, d.admin, Map.of("entity_type", "ticket", "name", name, "label", "X",
                "field_type", "select", "config", Map.of()), 400);
        d.fx.call("POST", DEFS, d.agent, Map.of("entity_type", "ticket", "name", name, "label", "X",
                "field_type", "text"), 404);

        long id = d.field("ticket", name, "integer", Map.of("section", "Billing", "order", 3, "required", true,
                "description", "Hours billed"));
        JsonNode def = d.fx.call("GET", DEFS + "/" + id, d.agent, null, 200).path("data");
        assertEquals("Billing", def.path("section").asText());
        assertEquals("admin", def.path("owner_type").asText());
        assertTrue(def.path("required").asBoolean());
        d.fx.call("POST", DEFS, d.admin, Map.of("entity_type", "ticket", "name", name, "label", "X",
                "field_type", "text"), 409);
        // customers see only fields marked customer-visible
        d.fx.call("GET", DEFS + "/" + id, d.customer, null, 404);
        assertFalse(d.fx.call("GET", DEFS + "?entity_type=ticket", d.customer, null, 200).toString().contains(name));

        // a required field cannot be cleared; a field with values keeps its type
        long ticket = d.ticket("Definitions");
        d.put("ticket", ticket, d.agent, Map.of(name, 5), 200);
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put(name, null);
        assertTrue(d.put("ticket", ticket, d.agent, clear, 400).toString().contains("is required"));
        d.fx.call("PUT", DEFS + "/" + id, d.admin, Map.of("field_type", "text"), 409);
        d.fx.call("PUT", DEFS + "/" + id, d.admin, Map.of("name", "renamed"), 400);
        assertEquals("Billed hours", d.fx.call("PUT", DEFS + "/" + id, d.admin, Map.of("label", "Billed hours"), 200)
                .path("data").path("label").asText());
        // hidden fields keep their values and are listed for admins only
        d.fx.call("PUT", DEFS + "/" + id, d.admin, Map.of("valid", false), 200);
        assertFalse(d.values("ticket", ticket, d.agent).has(name));
        assertTrue(d.fx.call("GET", DEFS + "?include_hidden=true", d.admin, null, 200).toString().contains(name));
        d.fx.call("GET", DEFS + "?include_hidden=true", d.agent, null, 404);
        d.fx.call("PUT", DEFS + "/" + id, d.admin, Map.of("valid", true), 200);
        assertEquals(5, d.values("ticket", ticket, d.agent).path(name).asInt());
        d.fx.call("DELETE", DEFS + "/" + id, d.agent, null, 404);
        d.fx.call("DELETE", DEFS + "/" + id, d.admin, null, 200);
        d.fx.call("GET", DEFS + "/" + id, d.admin, null, 404);
        d.fx.call("GET", DEFS + "?entity_type=spaceship", d.admin, null, 400);
    }

    @Test
    public void everyOperatorFindsExactlyTheMatchingTickets() throws Exception {
        Desk d = new Desk("ops");
        String p = unique("q");
        d.field("ticket", p + "_n", "integer", Map.of());
        d.field("ticket", p + "_code", "text", Map.of());
        d.field("ticket", p + "_due", "date", Map.of());
        d.field("ticket", p + "_vip", "boolean", Map.of());
        d.field("ticket", p + "_tags", "multi_select", Map.of("config", Map.of("options", List.of("red", "green",
                "blue"))));
        d.field("ticket", p + "_site", "point", Map.of());
        d.field("ticket", p + "_office", "address", Map.of());
        d.field("ticket", p + "_area", "polygon", Map.of());
        long berlin = d.ticket("Berlin");
        long hamburg = d.ticket("Hamburg");
        long munich = d.ticket("Munich");
        d.put("ticket", berlin, d.agent, Map.of(p + "_n", 1, p + "_code", "Alpha_1", p + "_due", "2026-01-10",
                p + "_vip", true, p + "_tags", List.of("red", "green"), p + "_site", Map.of("lat", 52.52, "lng", 13.405),
                p + "_office", Map.of("postcode", "10117", "city", "Berlin", "lat", 52.517, "lng", 13.389)), 200);
        d.put("ticket", hamburg, d.agent, Map.of(p + "_n", 5, p + "_code", "beta-2", p + "_due", "2026-06-01",
                p + "_vip", false, p + "_tags", List.of("blue"), p + "_site", Map.of("lat", 53.551, "lng", 9.993),
                p + "_office", Map.of("postcode", "20095", "city", "Hamburg")), 200);
        d.put("ticket", munich, d.agent, Map.of(p + "_n", 9, p + "_code", "gamma%3", p + "_due", "2026-12-24",
                p + "_tags", List.of("green"), p + "_site", Map.of("lat", 48.137, "lng", 11.575),
                p + "_area", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(11.5, 48.1),
                        List.of(11.7, 48.1), List.of(11.7, 48.2), List.of(11.5, 48.2), List.of(11.5, 48.1))))), 200);

        String n = p + "_n";
        assertEquals(List.of(hamburg), d.query(d.agent, filter(n, "eq", 5, null)));
        assertEquals(List.of(berlin, munich), d.query(d.agent, filter(n, "neq", 5, null)));
        assertEquals(List.of(munich), d.query(d.agent, filter(n, "gt", 5, null)));
        assertEquals(List.of(berlin), d.query(d.agent, filter(n, "lt", 5, null)));
        assertEquals(List.of(hamburg, munich), d.query(d.agent, filter(n, "gte", 5, null)));
        assertEquals(List.of(berlin, hamburg), d.query(d.agent, filter(n, "lte", 5, null)));
        assertEquals(List.of(berlin, munich), d.query(d.agent, filter(n, "in", List.of(1, 9, 100), null)));
        assertEquals(List.of(berlin, hamburg), d.query(d.agent, filter(n, "between", 1, 5)));
        // like: case-insensitive substring; % and _ are plain characters
        assertEquals(List.of(berlin), d.query(d.agent, filter(p + "_code", "like", "ALPHA_", null)));
        assertEquals(List.of(munich), d.query(d.agent, filter(p + "_code", "like", "a%3", null)));
        assertEquals(List.of(munich), d.query(d.agent, filter(p + "_code", "like", "%", null)));
        assertEquals(List.of(hamburg), d.query(d.agent, filter(p + "_due", "between", "2026-02-01", "2026-07-01")));
        assertEquals(List.of(berlin), d.query(d.agent, filter(p + "_vip", "eq", true, null)));
        assertEquals(List.of(berlin, munich), d.query(d.agent, filter(p + "_tags", "eq", "green", null)));
        assertEquals(List.of(berlin, hamburg), d.query(d.agent, filter(p + "_tags", "in", List.of("red", "blue"),
                null)));
        assertEquals(List.of(hamburg), d.query(d.agent, filter(p + "_tags", "neq", "green", null)));
        // near: Hamburg is 255 km from Berlin, Munich 504 km
        Map<String, Object> atBerlin = Map.of("lat", 52.52, "lng", 13.405);
        assertEquals(List.of(berlin), d.query(d.agent, filter(p + "_site", "near", atBerlin, 50)));
        assertEquals(List.of(berlin, hamburg), d.query(d.agent, filter(p + "_site", "near", atBerlin, 300)));
        assertEquals(List.of(berlin, hamburg, munich), d.query(d.agent, filter(p + "_site", "near", atBerlin, 600)));
        assertEquals(List.of(berlin), d.query(d.agent, filter(p + "_office", "near", atBerlin, 10)));
        assertEquals(List.of(hamburg), d.query(d.agent, filter(p + "_office", "eq", "20095", null)));
        assertEquals(List.of(munich), d.query(d.agent, filter(p + "_area", "near", Map.of("lat", 48.15, "lng",
                11.6), 5)));
        // filters combine with AND
        assertEquals(List.of(munich), d.query(d.agent, filter(n, "gt", 1, null), filter(p + "_tags", "eq", "green",
                null)));

        // bad filters are named
        JsonNode refused = d.fx.call("POST", "/api/v1/custom-fields/query", d.agent, Map.of("entity_type", "ticket",
                "filters", List.of(filter(n, "like", 1, null), filter("nope", "eq", 1, null),
                        filter(p + "_site", "near", atBerlin, null), filter(n, "between", 1, null),
                        filter(n, "resembles", 1, null))), 400).path("error").path("fields");
        for (String at : List.of("filters[0]", "filters[1].field", "filters[2]", "filters[3]", "filters[4]")) {
            assertTrue(at + " in " + refused, refused.has(at));
        }
        d.fx.call("POST", "/api/v1/custom-fields/query", d.agent, Map.of("entity_type", "ticket", "filters",
                List.of(filter(n, "eq", 1, null)), "limit", 0), 400);
        JsonNode limited = d.fx.call("POST", "/api/v1/custom-fields/query", d.agent, Map.of("entity_type", "ticket",
                "filters", List.of(filter(n, "gte", 1, null)), "limit", 2), 200).path("data");
        assertEquals(2, limited.path("ids").size());
        assertTrue(limited.path("truncated").asBoolean());
        // what the caller may not see is not found
        assertEquals(List.of(), d.query(d.outsider, filter(n, "gte", 1, null)));
        d.fx.call("POST", "/api/v1/custom-fields/query", d.customer, Map.of("entity_type", "ticket", "filters",
                List.of(filter(n, "gte", 1, null))), 404);
    }

    /** Ticket ids of the ticket list with these query parameters, for the caller. */
    private static List<Long> listed(Desk d, String token, String query) throws Exception {
        List<Long> ids = new ArrayList<>();
        d.fx.call("GET", "/api/v1/tickets?status=open&per_page=100&sort=created&order=asc&queue_id=" + d.queue + "&"
                + query, token, null, 200).path("data").forEach(t -> ids.add(t.path("id").asLong()));
        return ids;
    }

    @Test
    public void theTicketListFiltersByFieldsAndPagesInTheDatabase() throws Exception {
        Desk d = new Desk("list");
        String p = unique("l");
        d.field("ticket", p + "_n", "integer", Map.of());
        d.field("ticket", p + "_code", "text", Map.of("customer_visible", true));
        d.field("ticket", p + "_at", "datetime", Map.of());
        d.field("ticket", p + "_tier", "select", Map.of("config", Map.of("options", List.of("gold", "silver"))));
        d.field("ticket", p + "_site", "point", Map.of());
        long berlin = d.ticket("Berlin");
        long hamburg = d.ticket("Hamburg");
        long munich = d.ticket("Munich");
        long bare = d.ticket("No fields");
        d.put("ticket", berlin, d.agent, Map.of(p + "_n", 1, p + "_code", "Alpha", p + "_at", "2026-11-30T23:30:00Z",
                p + "_tier", "gold", p + "_site", Map.of("lat", 52.52, "lng", 13.405)), 200);
        d.put("ticket", hamburg, d.agent, Map.of(p + "_n", 5, p + "_code", "beta", p + "_at", "2026-12-01T00:00:00Z",
                p + "_tier", "silver", p + "_site", Map.of("lat", 53.551, "lng", 9.993)), 200);
        d.put("ticket", munich, d.agent, Map.of(p + "_n", 9, p + "_code", "gamma", p + "_tier", "gold",
                p + "_site", Map.of("lat", 48.137, "lng", 11.575)), 200);

        String n = "cf." + p + "_n";
        assertEquals(List.of(berlin, hamburg, munich, bare), listed(d, d.agent, ""));
        assertEquals(List.of(hamburg), listed(d, d.agent, n + "=5"));
        assertEquals(List.of(hamburg, munich), listed(d, d.agent, n + ".gte=5"));
        assertEquals(List.of(hamburg), listed(d, d.agent, n + ".gte=2&" + n + ".lte=6"));
        assertEquals(List.of(berlin, munich), listed(d, d.agent, n + ".in=1,9"));
        assertEquals(List.of(berlin, munich), listed(d, d.agent, n + ".in=1&" + n + ".in=9"));
        assertEquals(List.of(berlin, hamburg), listed(d, d.agent, n + ".between=1,5"));
        assertEquals(List.of(berlin, munich), listed(d, d.agent, n + ".neq=5"));
        assertEquals(List.of(berlin), listed(d, d.agent, "cf." + p + "_code.like=LPH"));
        assertEquals(List.of(berlin, munich), listed(d, d.agent, "cf." + p + "_tier=gold"));
        // a plain day on a date-time field is that whole day (UTC)
        assertEquals(List.of(berlin), listed(d, d.agent, "cf." + p + "_at=2026-11-30"));
        assertEquals(List.of(berlin), listed(d, d.agent, "cf." + p + "_at.lte=2026-11-30"));
        assertEquals(List.of(hamburg), listed(d, d.agent, "cf." + p + "_at.gt=2026-11-30"));
        assertEquals(List.of(hamburg), listed(d, d.agent, "cf." + p + "_at.gte=2026-12-01T00:00:00Z"));
        // near: lat,lng,km; Hamburg is 255 km from Berlin
        assertEquals(List.of(berlin), listed(d, d.agent, "cf." + p + "_site.near=52.52,13.405,50"));
        assertEquals(List.of(berlin, hamburg), listed(d, d.agent, "cf." + p + "_site.near=52.52,13.405,300"));
        // field filters combine with the list's own filters, search and paging
        assertEquals(List.of(munich), listed(d, d.agent, n + ".gte=2&search=Munich"));
        JsonNode firstPage = d.fx.call("GET", "/api/v1/tickets?queue_id=" + d.queue + "&" + n
                + ".gte=1&per_page=2&sort=created&order=asc", d.agent, null, 200);
        assertEquals(3, firstPage.path("pagination").path("total").asInt());
        assertEquals(2, firstPage.path("data").size());
        assertEquals(List.of(munich), listed(d, d.agent, n + ".gte=1&cf." + p + "_site.near=48.1,11.6,20"));
        // the search route takes them too
        JsonNode found = d.fx.call("GET", "/api/v1/search/tickets?q=Berlin&" + n + "=1", d.agent, null, 200);
        assertEquals(berlin, found.path("data").path(0).path("id").asLong());
        assertEquals(0, d.fx.call("GET", "/api/v1/search/tickets?q=Berlin&" + n + "=5", d.agent, null, 200)
                .path("data").size());

        // the ticket permissions still apply: an outsider finds nothing, however the filter reads
        assertEquals(0, d.fx.call("GET", "/api/v1/tickets?" + n + ".gte=1", d.outsider, null, 200).path("data")
                .size());
        // customers filter on the fields shown to them only
        JsonNode mine = d.fx.call("GET", "/api/v1/tickets?cf." + p + "_code=beta", d.customer, null, 200);
        assertEquals(1, mine.path("data").size());
        assertEquals(hamburg, mine.path("data").path(0).path("id").asLong());
        JsonNode hidden = d.fx.call("GET", "/api/v1/tickets?" + n + "=5", d.customer, null, 400);
        assertTrue(hidden.toString(), hidden.path("error").path("fields").has(n));
        assertEquals(0, d.fx.call("GET", "/api/v1/tickets?cf." + p + "_code=beta", d.otherCustomer, null, 200)
                .path("data").size());

        // every refused parameter is named; nothing is silently dropped
        JsonNode refused = d.fx.call("GET", "/api/v1/tickets?" + n + "=abc&cf.nope_" + p + "=1&" + n
                + ".resembles=1&cf." + p + "_site.near=52,13&cf." + p + "_tier=&cf." + p + "_at=2026-13-45", d.agent,
                null, 400).path("error").path("fields");
        for (String at : List.of(n, "cf.nope_" + p, n + ".resembles", "cf." + p + "_site.near", "cf." + p + "_tier",
                "cf." + p + "_at")) {
            assertTrue(at + " in " + refused, refused.has(at));
        }
        JsonNode unknown = d.fx.call("GET", "/api/v1/tickets?xyz.a=1", d.agent, null, 400);
        assertTrue(unknown.toString(), unknown.path("error").path("message").asText().contains("xyz.a"));
        assertError(get("/api/v1/tickets?" + n + "=1%27%20OR%201=1--", d.agent), 400, "VALIDATION_FAILED");
        // text is a bound parameter, never SQL
        assertEquals(List.of(), listed(d, d.agent, "cf." + p + "_code=%27%20OR%20%271%27=%271"));
        assertEquals(List.of(), listed(d, d.agent, "cf." + p + "_code.like=%25%27%20OR%201=1--"));
    }

    @Test
    public void valuesOfAPageOfObjectsLeaveOutWhatTheCallerMayNotSee() throws Exception {
        Desk d = new Desk("bulk");
        String p = unique("b");
        d.field("ticket", p + "_n", "integer", Map.of());
        d.field("ticket", p + "_secret", "text", Map.of());
        d.field("ticket", p + "_shown", "text", Map.of("customer_visible", true));
        long one = d.ticket("One");
        long two = d.ticket("Two");
        d.put("ticket", one, d.agent, Map.of(p + "_n", 1, p + "_secret", "s1", p + "_shown", "c1"), 200);
        String path = "/api/v1/custom-fields/values/ticket?ids=" + one + "," + two + ",999999999";
        JsonNode rows = d.fx.call("GET", path, d.agent, null, 200).path("data");
        assertEquals(2, rows.size());
        assertEquals(one, rows.path(0).path("object_id").asLong());
        assertEquals(1, rows.path(0).path("values").path(p + "_n").asInt());
        assertEquals(two, rows.path(1).path("object_id").asLong());
        assertTrue(rows.path(1).path("values").path(p + "_n").isNull());
        assertEquals(0, d.fx.call("GET", path, d.outsider, null, 200).path("data").size());
        assertEquals(0, d.fx.call("GET", path, d.otherCustomer, null, 200).path("data").size());
        JsonNode customer = d.fx.call("GET", path, d.customer, null, 200).path("data");
        assertEquals(2, customer.size());
        assertEquals("c1", customer.path(0).path("values").path(p + "_shown").asText());
        assertFalse(customer.toString(), customer.toString().contains(p + "_secret"));
        assertError(get("/api/v1/custom-fields/values/ticket?ids=1,x", d.agent), 400, "VALIDATION_FAILED");
        StringBuilder many = new StringBuilder("0");
        for (int i = 1; i <= 500; i++) {
            many.append(',').append(i);
        }
        assertError(get("/api/v1/custom-fields/values/ticket?ids=" + many, d.agent), 400, "VALIDATION_FAILED");
        assertEquals(0, d.fx.call("GET", "/api/v1/custom-fields/values/ticket?ids=", d.agent, null, 200).path("data")
                .size());
        d.fx.call("GET", "/api/v1/custom-fields/values/nonsense?ids=1", d.agent, null, 404);

        // the columns an agent shows on the ticket list are a preference, kept in the database
        JsonNode saved = d.fx.call("PUT", "/api/v1/users/me/preferences", d.agent,
                Map.of("ticket_columns", List.of(p + "_n", p + "_shown")), 200).path("data");
        assertEquals(List.of(p + "_n", p + "_shown"), List.of(saved.path("ticket_columns").path(0).asText(),
                saved.path("ticket_columns").path(1).asText()));
        assertEquals(2, d.fx.call("GET", "/api/v1/users/me/preferences", d.agent, null, 200).path("data")
                .path("ticket_columns").size());
        List<String> thirteen = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            thirteen.add("field_" + i);
        }
        for (List<String> bad : List.of(List.of("Bad Name"), List.of("a", "a"), thirteen)) {
            d.fx.call("PUT", "/api/v1/users/me/preferences", d.agent, Map.of("ticket_columns", bad), 400);
        }
        assertEquals(2, d.fx.call("GET", "/api/v1/users/me/preferences", d.agent, null, 200).path("data")
                .path("ticket_columns").size());
    }

    @Test
    public void atomicOperationsLoseNoUpdateUnderConcurrency() throws Exception {
        Desk d = new Desk("atomic");
        String p = unique("a");
        d.field("ticket", p + "_count", "integer", Map.of());
        d.field("ticket", p + "_budget", "decimal", Map.of());
        d.field("ticket", p + "_flag", "boolean", Map.of());
        d.field("ticket", p + "_tags", "multi_select", Map.of("config", Map.of("options", List.of("t0", "t1", "t2",
                "t3", "t4", "t5", "t6", "t7"))));
        d.field("ticket", p + "_status", "text", Map.of());
        long ticket = d.ticket("Counters");
        String path = "/api/v1/custom-fields/values/ticket/" + ticket;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                work.add(() -> {
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put(p + "_count", Map.of("op", "increment", "by", 1));
                    values.put(p + "_tags", Map.of("op", "append", "value", "t" + (n % 8)));
                    return put(path, d.agent, HelpDeskFixture.JSON.writeValueAsString(Map.of("values", values)))
                            .statusCode();
                });
            }
            for (Future<Integer> f : pool.invokeAll(work)) {
                assertEquals(Integer.valueOf(200), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode after = d.values("ticket", ticket, d.agent);
        assertEquals(40, after.path(p + "_count").asInt());
        assertEquals(8, after.path(p + "_tags").size());

        // floor and ceiling clamp; decimals keep their cents
        assertEquals(42, d.put("ticket", ticket, d.agent, Map.of(p + "_count", Map.of("op", "increment", "by", 5,
                "ceiling", 42)), 200).path("data").path("values").path(p + "_count").asInt());
        assertEquals(0, d.put("ticket", ticket, d.agent, Map.of(p + "_count", Map.of("op", "increment", "by", -100,
                "floor", 0)), 200).path("data").path("values").path(p + "_count").asInt());
        d.put("ticket", ticket, d.agent, Map.of(p + "_budget", Map.of("op", "increment", "by", 0.1)), 200);
        assertEquals("0.3", d.put("ticket", ticket, d.agent, Map.of(p + "_budget", Map.of("op", "increment", "by",
                0.2)), 200).path("data").path("values").path(p + "_budget").asText());
        assertTrue(d.put("ticket", ticket, d.agent, Map.of(p + "_flag", Map.of("op", "toggle")), 200)
                .path("data").path("values").path(p + "_flag").asBoolean());
        assertEquals("[\"t1\",\"t2\",\"t3\",\"t4\",\"t5\",\"t6\",\"t7\"]", d.put("ticket", ticket, d.agent,
                Map.of(p + "_tags", Map.of("op", "remove", "value", "t0")), 200).path("data").path("values")
                .path(p + "_tags").toString());

        // compare-and-set: only from the expected value; a failed one changes nothing else either
        Map<String, Object> cas = new LinkedHashMap<>();
        cas.put("op", "cas");
        cas.put("expect", null);
        cas.put("value", "open");
        d.put("ticket", ticket, d.agent, Map.of(p + "_status", cas), 200);
        Map<String, Object> stale = new LinkedHashMap<>();
        stale.put(p + "_count", Map.of("op", "increment", "by", 1));
        stale.put(p + "_status", Map.of("op", "cas", "expect", "new", "value", "closed"));
        JsonNode conflict = d.put("ticket", ticket, d.agent, stale, 409);
        assertEquals("CAS_MISMATCH", conflict.path("error").path("code").asText());
        assertEquals(0, d.values("ticket", ticket, d.agent).path(p + "_count").asInt());
        assertEquals("closed", d.put("ticket", ticket, d.agent, Map.of(p + "_status", Map.of("op", "cas", "expect",
                "open", "value", "closed")), 200).path("data").path("values").path(p + "_status").asText());
        JsonNode wrongOp = d.put("ticket", ticket, d.agent, Map.of(p + "_flag", Map.of("op", "increment")), 400);
        assertTrue(wrongOp.toString(), wrongOp.path("error").path("fields").path(p + "_flag").asText()
                .contains("integer and decimal"));
    }

    @Test
    public void fieldsFollowTheVisibilityOfTheirObject() throws Exception {
        Desk d = new Desk("rbac");
        String p = unique("r");
        d.field("ticket", p + "_internal", "text", Map.of());
        d.field("ticket", p + "_public", "text", Map.of("customer_visible", true));
        d.field("agent", p + "_skill", "select", Map.of("config", Map.of("options", List.of("l1", "l2"))));
        d.field("queue", p + "_sla", "integer", Map.of());
        long ticket = d.ticket("Visibility");
        d.put("ticket", ticket, d.agent, Map.of(p + "_internal", "agents only", p + "_public", "for the customer"),
                200);

        // the ticket's customer sees customer-visible fields only and changes none
        JsonNode seen = d.values("ticket", ticket, d.customer);
        assertEquals("for the customer", seen.path(p + "_public").asText());
        assertFalse(seen.toString(), seen.has(p + "_internal"));
        d.put("ticket", ticket, d.customer, Map.of(p + "_public", "x"), 404);
        // whoever may not see the ticket does not find its fields
        for (String token : List.of(d.outsider, d.otherCustomer)) {
            d.fx.call("GET", "/api/v1/custom-fields/values/ticket/" + ticket, token, null, 404);
        }
        d.put("ticket", ticket, d.outsider, Map.of(p + "_internal", "x"), 404);
        d.fx.call("GET", "/api/v1/custom-fields/values/ticket/999999999", d.agent, null, 404);
        d.fx.call("GET", "/api/v1/custom-fields/values/spaceship/1", d.agent, null, 404);
        d.fx.call("GET", "/api/v1/custom-fields/values/ticket/abc", d.agent, null, 404);
        d.fx.call("GET", "/api/v1/custom-fields/values/ticket/" + ticket, null, null, 401);

        // agents set their own fields; only admins set other agents' and queues'
        d.put("agent", d.agentId, d.agent, Map.of(p + "_skill", "l2"), 200);
        long otherAgent = d.fx.agent(d.fx.name("rbac.peer"), Map.of());
        d.put("agent", otherAgent, d.agent, Map.of(p + "_skill", "l1"), 403);
        d.put("agent", otherAgent, d.admin, Map.of(p + "_skill", "l1"), 200);
        assertEquals("l1", d.values("agent", otherAgent, d.agent).path(p + "_skill").asText());
        d.fx.call("GET", "/api/v1/custom-fields/values/agent/" + otherAgent, d.customer, null, 404);
        d.put("queue", d.queue, d.agent, Map.of(p + "_sla", 4), 403);
        d.put("queue", d.queue, d.admin, Map.of(p + "_sla", 4), 200);
        assertEquals(4, d.values("queue", d.queue, d.agent).path(p + "_sla").asInt());
        d.fx.call("GET", "/api/v1/custom-fields/values/queue/" + d.queue, d.outsider, null, 404);
    }

    @Test
    public void aCatastrophicPatternIsCutOffInsteadOfHoldingTheThread() throws Exception {
        Desk d = new Desk("redos");
        String name = unique("redos");
        d.field("ticket", name, "text", Map.of("config", Map.of("max_length", 200, "regex", "(.*a){25}")));
        long ticket = d.ticket("ReDoS");
        long start = System.nanoTime();
        JsonNode refused = d.put("ticket", ticket, d.agent, Map.of(name, "a".repeat(60) + "!"), 400);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(refused.toString(), refused.path("error").path("fields").path(name).asText().contains("in time"));
        // unbounded, this match runs for hours; the limit is 100 ms of matching
        assertTrue(millis + " ms", millis < 10_000);
        assertEquals(200, get("/health").statusCode());
    }

    /** A plugin registered by the test, keeping the host API it is given. */
    private static final class FieldPlugin implements GoatPlugin {
        final String manifest;
        final AtomicReference<HostApi> host = new AtomicReference<>();

        FieldPlugin(String name, String fields) {
            this.manifest = "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"custom_fields\":[" + fields + "]}";
        }

        @Override
        public String manifestJson() {
            return manifest;
        }

        @Override
        public void init(HostApi api) {
            host.set(api);
        }

        @Override
        public String call(String function, String jsonArgs) {
            return "{}";
        }
    }

    private HostApi load(FieldPlugin plugin, List<ServiceRegistration<GoatPlugin>> registrations) throws Exception {
        registrations.add(bundleContext.registerService(GoatPlugin.class, plugin, new Hashtable<>()));
        for (int i = 0; i < 100 && plugin.host.get() == null; i++) {
            Thread.sleep(100);
        }
        assertNotNull("plugin loaded", plugin.host.get());
        return plugin.host.get();
    }

    @Test
    public void pluginsWorkOnTheirOwnPrefixedFieldsOnly() throws Exception {
        Desk d = new Desk("plug");
        long ticket = d.ticket("Plugin fields");
        String suffix = Long.toString(System.nanoTime(), 36);
        String alpha = "cfa" + suffix;
        String beta = "cfb" + suffix;
        String score = "{\"name\":\"score\",\"label\":\"Score\",\"entity_type\":\"ticket\",\"field_type\":\"integer\"}";
        List<ServiceRegistration<GoatPlugin>> registrations = new ArrayList<>();
        try {
            HostApi a = load(new FieldPlugin(alpha, score + ",{\"name\":\"tags\",\"label\":\"Tags\",\"entity_type\":"
                    + "\"ticket\",\"field_type\":\"multi_select\",\"config\":{\"options\":[\"x\",\"y\"]}}"),
                    registrations);
            HostApi b = load(new FieldPlugin(beta, score), registrations);
            // stored with the plugin's prefix; each plugin sees its own under the bare name
            JsonNode defs = d.fx.call("GET", DEFS + "?entity_type=ticket", d.admin, null, 200).path("data");
            assertTrue(defs.toString().contains("\"" + alpha + "_score\""));
            assertTrue(defs.toString().contains("\"" + beta + "_score\""));
            assertEquals(3L, ((Number) a.customFieldsSet("ticket", ticket, Map.of("score", 3)).get("score"))
                    .longValue());
            assertEquals(7L, ((Number) b.customFieldsSet("ticket", ticket, Map.of("score", 7)).get("score"))
                    .longValue());
            assertEquals(4L, ((Number) a.customFieldsSet("ticket", ticket, Map.of("score", Map.of("op", "increment")))
                    .get("score")).longValue());
            assertEquals(7L, ((Number) b.customFieldsGet("ticket", ticket, "score").get("score")).longValue());
            assertEquals(List.of(ticket), a.customFieldsQuery("ticket", List.of(Map.of("field", "score", "op", "eq",
                    "value", 4))));
            // another plugin's field is not a field of this plugin, under any name
            for (String foreign : List.of(beta + "_score", "../" + beta + "_score")) {
                HostCallException e = org.junit.Assert.assertThrows(HostCallException.class,
                        () -> a.customFieldsSet("ticket", ticket, Map.of(foreign, 1)));
                assertEquals("validation_failed", e.code());
            }
            org.junit.Assert.assertThrows(HostCallException.class, () -> a.customFieldsGet("ticket", 999999999));
            // agents see the plugin fields by their stored names
            JsonNode values = d.values("ticket", ticket, d.agent);
            assertEquals(4, values.path(alpha + "_score").asInt());
            assertEquals(7, values.path(beta + "_score").asInt());
            // admins cannot delete or reshape a plugin's field
            long alphaScore = -1;
            for (JsonNode f : defs) {
                if (f.path("name").asText().equals(alpha + "_score")) {
                    alphaScore = f.path("id").asLong();
                    assertEquals("plugin", f.path("owner_type").asText());
                }
            }
            d.fx.call("DELETE", DEFS + "/" + alphaScore, d.admin, null, 409);
            // a new version that stops declaring a field hides it and keeps its data
            registrations.remove(0).unregister();
            HostApi a2 = load(new FieldPlugin(alpha, "{\"name\":\"tags\",\"label\":\"Tags\",\"entity_type\":"
                    + "\"ticket\",\"field_type\":\"multi_select\",\"config\":{\"options\":[\"x\",\"y\"]}}"),
                    registrations);
            assertFalse(d.values("ticket", ticket, d.agent).has(alpha + "_score"));
            assertFalse(a2.customFieldsGet("ticket", ticket).containsKey("score"));
            JsonNode hidden = d.fx.call("GET", DEFS + "/" + alphaScore, d.admin, null, 200).path("data");
            assertFalse(hidden.path("valid").asBoolean());
            registrations.remove(registrations.size() - 1).unregister();
            load(new FieldPlugin(alpha, score), registrations);
            assertEquals(4, d.values("ticket", ticket, d.agent).path(alpha + "_score").asInt());
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
        }
    }

    @Test
    public void legacyDynamicFieldsAreCopiedOnceAndNeverOverwriteLaterChanges() throws Exception {
        Desk d = new Desk("legacy");
        long ticket = d.ticket("Legacy");
        String tag = Long.toString(Math.abs(System.nanoTime() % 1_000_000_000L));
        database.inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS dynamic_field (id BIGINT PRIMARY KEY, internal_field SMALLINT"
                        + " DEFAULT 0 NOT NULL, name VARCHAR(200) NOT NULL, label VARCHAR(200) NOT NULL, field_order"
                        + " INTEGER NOT NULL, field_type VARCHAR(200) NOT NULL, object_type VARCHAR(100) NOT NULL,"
                        + " config VARCHAR(100000), valid_id SMALLINT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS dynamic_field_value (id BIGINT PRIMARY KEY, field_id BIGINT"
                        + " NOT NULL, object_id BIGINT NOT NULL, value_text VARCHAR(3800), value_date TIMESTAMP,"
                        + " value_int BIGINT)");
            }
            long base = Math.abs(System.nanoTime() % 1_000_000_000L) * 10;
            Jdbc.update(c, "INSERT INTO dynamic_field (id, name, label, field_order, field_type, object_type, config,"
                    + " valid_id) VALUES (?, ?, 'Contract', 1, 'Dropdown', 'Ticket', ?, 1)", Jdbc.params(base,
                            "Contract" + tag, "---\nPossibleValues:\n  gold: Gold\n  silver: Silver\n"));
            Jdbc.update(c, "INSERT INTO dynamic_field (id, name, label, field_order, field_type, object_type, config,"
                    + " valid_id) VALUES (?, ?, 'Approved', 2, 'Checkbox', 'Ticket', '', 1)",
                    Jdbc.params(base + 1, "Approved" + tag));
            Jdbc.update(c, "INSERT INTO dynamic_field (id, name, label, field_order, field_type, object_type, config,"
                    + " valid_id) VALUES (?, ?, 'Web', 3, 'WebserviceDropdown', 'Ticket', '', 1)",
                    Jdbc.params(base + 2, "Web" + tag));
            Jdbc.update(c, "INSERT INTO dynamic_field_value (id, field_id, object_id, value_text) VALUES (?, ?, ?,"
                    + " 'gold')", Jdbc.params(base, base, ticket));
            Jdbc.update(c, "INSERT INTO dynamic_field_value (id, field_id, object_id, value_int) VALUES (?, ?, ?, 1)",
                    Jdbc.params(base + 1, base + 1, ticket));
            return null;
        });
        restartCustomFields();
        // OTRS names are CamelCase; the copies are snake_case
        String contractName = "contract" + tag;
        JsonNode values = d.values("ticket", ticket, d.agent);
        assertEquals(values.toString(), "gold", values.path(contractName).asText());
        assertTrue(values.toString(), values.path("approved" + tag).asBoolean());
        JsonNode defs = d.fx.call("GET", DEFS + "?entity_type=ticket", d.admin, null, 200).path("data");
        int copies = 0;
        for (JsonNode f : defs) {
            if (f.path("name").asText().equals(contractName)) {
                copies++;
                assertEquals("legacy", f.path("owner_type").asText());
                assertEquals("select", f.path("field_type").asText());
                assertTrue(f.toString(), f.path("config").toString().contains("silver"));
            }
        }
        assertEquals(1, copies);
        // OTRS keeps its rows; agents change the copy; a second start copies nothing again
        d.put("ticket", ticket, d.agent, Map.of(contractName, "silver"), 200);
        restartCustomFields();
        assertEquals("silver", d.values("ticket", ticket, d.agent).path(contractName).asText());
        long again = 0;
        for (JsonNode f : d.fx.call("GET", DEFS + "?entity_type=ticket", d.admin, null, 200).path("data")) {
            again += f.path("name").asText().equals(contractName) ? 1 : 0;
        }
        assertEquals(1, again);
        assertEquals(2L, (long) database.inTransaction(c -> Jdbc.rows(c, "SELECT id FROM dynamic_field_value WHERE"
                + " field_id IN (SELECT id FROM dynamic_field WHERE name LIKE ?)", Jdbc.params("%" + tag)).size()));
    }

    private void restartCustomFields() throws Exception {
        Bundle b = bundle("io.goatflow.customfields");
        b.stop();
        b.start();
        awaitReady();
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = get(DEFS, adminToken());
            if (r.statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
    }
}
