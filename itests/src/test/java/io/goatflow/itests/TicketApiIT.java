package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The ticket API as a help desk uses it: agents open, find, assign, move, close, reopen and archive tickets;
 * customers open tickets, follow up and see only what is theirs; every change lands in the history.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TicketApiIT extends GoatFlowTestSupport {

    private HelpDeskFixture fixture() throws Exception {
        return new HelpDeskFixture(http, base(), adminToken());
    }

    private static Map<String, Object> ticket(String title, long queue, String customer, String body) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("title", title);
        t.put("queue_id", queue);
        if (customer != null) {
            t.put("customer_user_id", customer);
        }
        t.put("article", Map.of("channel", "phone", "subject", title, "body", body));
        return t;
    }

    private static List<String> titles(JsonNode list) {
        List<String> titles = new ArrayList<>();
        list.path("data").forEach(t -> titles.add(t.path("title").asText()));
        return titles;
    }

    @Test
    public void agentsWorkTicketsThroughTheirWholeLife() throws Exception {
        HelpDeskFixture fx = fixture();
        String admin = adminToken();
        long group = fx.group(fx.name("life"));
        long queue = fx.queue("Life " + fx.suffix, group);
        long other = fx.queue("Life other " + fx.suffix, group);
        long agentId = fx.agent(fx.name("life.agent"), Map.of(group, new String[] {"rw"}));
        String agent = fx.agentToken(fx.name("life.agent"));

        JsonNode created = fx.call("POST", "/api/v1/tickets", agent, ticket("Projector flickers", queue, null,
                "The projector in room 4 flickers"), 201).path("data");
        long id = created.path("id").asLong();
        assertTrue(created.toString(), created.path("ticket_number").asText().matches("\\d{8}10\\d{6}"));
        assertEquals("new", created.path("state").asText());
        assertEquals("3 normal", created.path("priority").asText());
        assertEquals(agentId, created.path("owner_id").asLong());
        assertEquals(queue, created.path("queue_id").asLong());

        // assign, move, prioritise, pend, close: one PUT each, each with its history line
        JsonNode moved = fx.call("PUT", "/api/v1/tickets/" + id, agent, Map.of("queue_id", other, "priority_id", 4,
                "owner_id", agentId), 200).path("data");
        assertEquals(other, moved.path("queue_id").asLong());
        assertEquals("4 high", moved.path("priority").asText());
        JsonNode pending = fx.call("PUT", "/api/v1/tickets/" + id, agent, Map.of("state_id", 6,
                "pending_until", "2031-01-02T03:04:05Z"), 200).path("data");
        assertEquals("pending reminder", pending.path("state").asText());
        assertEquals("2031-01-02T03:04:05Z", pending.path("pending_until").asText());
        // a pending state keeps its time; moving to a non-pending state clears it
        JsonNode closed = fx.call("PUT", "/api/v1/tickets/" + id, agent, Map.of("state_id", 2), 200).path("data");
        assertEquals("closed", closed.path("state_type").asText());
        assertTrue(closed.path("pending_until").isNull());

        // filters
        long second = fx.call("POST", "/api/v1/tickets", agent, ticket("Keyboard missing keys", queue,
                "life.customer." + fx.suffix, "The F and J keys are gone"), 201).path("data").path("id").asLong();
        assertEquals(List.of("Keyboard missing keys"), titles(fx.call("GET", "/api/v1/tickets?status=open&queue_id="
                + queue, agent, null, 200)));
        assertEquals(List.of("Projector flickers"), titles(fx.call("GET", "/api/v1/tickets?status=closed&queue_id="
                + other, agent, null, 200)));
        assertEquals(List.of("Projector flickers"), titles(fx.call("GET",
                "/api/v1/tickets?status=closed%20successful&priority_id=4", agent, null, 200)));
        assertEquals(List.of("Keyboard missing keys"), titles(fx.call("GET", "/api/v1/tickets?customer_user_id=life.customer."
                + fx.suffix, agent, null, 200)));
        assertEquals(2, fx.call("GET", "/api/v1/tickets?assigned_user_id=" + agentId, agent, null, 200)
                .path("pagination").path("total").asInt());
        assertEquals(List.of("Keyboard missing keys"), titles(fx.call("GET", "/api/v1/tickets?search=keys&assigned_user_id="
                + agentId, agent, null, 200)));
        assertEquals(List.of("Projector flickers"), titles(fx.call("GET", "/api/v1/tickets?search=proj&assigned_user_id="
                + agentId, agent, null, 200)));
        assertEquals(List.of("Keyboard missing keys", "Projector flickers"), titles(fx.call("GET",
                "/api/v1/tickets?sort=title&order=asc&assigned_user_id=" + agentId, agent, null, 200)));
        JsonNode page2 = fx.call("GET", "/api/v1/tickets?sort=title&order=asc&per_page=1&page=2&assigned_user_id="
                + agentId, agent, null, 200);
        assertEquals(List.of("Projector flickers"), titles(page2));
        assertEquals("{\"page\":2,\"per_page\":1,\"total\":2,\"total_pages\":2,\"has_next\":false,\"has_prev\":true}",
                page2.path("pagination").toString());
        assertEquals(titles(page2), titles(fx.call("GET", "/api/v1/tickets?sort=title&order=asc&limit=1&offset=1"
                + "&assigned_user_id=" + agentId, agent, null, 200)));
        assertEquals(100, fx.call("GET", "/api/v1/tickets?per_page=500", agent, null, 200).path("pagination")
                .path("per_page").asInt());
        assertError(get("/api/v1/tickets?sort=colour", agent), 400, "VALIDATION_FAILED");
        assertError(get("/api/v1/tickets?queue_id=abc", agent), 400, "VALIDATION_FAILED");
        assertError(get("/api/v1/tickets?order=sideways", agent), 400, "VALIDATION_FAILED");

        // reopen, archive (DELETE), and the archive filter
        assertError(post("/api/v1/tickets/" + second + "/reopen", agent, "{}"), 409, "NOT_CLOSED");
        assertEquals("open", fx.call("POST", "/api/v1/tickets/" + id + "/reopen", agent, "{}", 200).path("data")
                .path("state").asText());
        fx.call("DELETE", "/api/v1/tickets/" + second, agent, null, 200);
        assertEquals(List.of("Projector flickers"), titles(fx.call("GET", "/api/v1/tickets?assigned_user_id=" + agentId,
                agent, null, 200)));
        assertEquals(2, fx.call("GET", "/api/v1/tickets?archived=true&assigned_user_id=" + agentId, agent, null, 200)
                .path("pagination").path("total").asInt());
        assertTrue(fx.call("GET", "/api/v1/tickets/" + second, agent, null, 200).path("data").path("archived")
                .asBoolean());

        // everything above is in the history, with who did it
        List<String> types = new ArrayList<>();
        fx.call("GET", "/api/v1/tickets/" + id + "/history", agent, null, 200).path("data").forEach(h -> {
            types.add(h.path("type").asText());
            assertEquals(agentId, h.path("created_by").asLong());
        });
        assertEquals(List.of("NewTicket", "Move", "PriorityUpdate", "StateUpdate", "SetPendingTime", "StateUpdate",
                "SetPendingTime", "StateUpdate"), types);

        // unknown ids and ids of tickets the caller may not see are the same 404
        assertError(get("/api/v1/tickets/999999999", agent), 404, "NOT_FOUND");
        assertError(put("/api/v1/tickets/999999999", agent, "{\"priority_id\":2}"), 404, "NOT_FOUND");
        assertError(get("/api/v1/tickets/not-a-number", agent), 404, "NOT_FOUND");
        fx.agent(fx.name("life.outsider"), Map.of());
        assertError(get("/api/v1/tickets/" + id, fx.agentToken(fx.name("life.outsider"))), 404, "NOT_FOUND");
        assertEquals(0, fx.call("GET", "/api/v1/tickets", fx.agentToken(fx.name("life.outsider")), null, 200)
                .path("pagination").path("total").asInt());
        // the admin group administers; it does not open every queue (OTRS semantics)
        assertError(get("/api/v1/tickets/" + id, admin), 404, "NOT_FOUND");
    }

    @Test
    public void permissionsDecideEachKindOfChange() throws Exception {
        HelpDeskFixture fx = fixture();
        long group = fx.group(fx.name("perm"));
        long queue = fx.queue("Perm " + fx.suffix, group);
        long target = fx.queue("Perm target " + fx.suffix, fx.group(fx.name("perm-target")));
        fx.agent(fx.name("perm.rw"), Map.of(group, new String[] {"rw"}));
        fx.agent(fx.name("perm.ro"), Map.of(group, new String[] {"ro", "note"}));
        String rw = fx.agentToken(fx.name("perm.rw"));
        String ro = fx.agentToken(fx.name("perm.ro"));
        long id = fx.call("POST", "/api/v1/tickets", rw, ticket("Permission test", queue, null, "text"), 201)
                .path("data").path("id").asLong();

        assertEquals(200, get("/api/v1/tickets/" + id, ro).statusCode());
        assertError(put("/api/v1/tickets/" + id, ro, "{\"priority_id\":5}"), 403, "PERMISSION_DENIED");
        assertError(put("/api/v1/tickets/" + id, ro, "{\"title\":\"New title\"}"), 403, "PERMISSION_DENIED");
        assertError(put("/api/v1/tickets/" + id, ro, "{\"state_id\":2}"), 403, "PERMISSION_DENIED");
        assertError(post("/api/v1/tickets", ro, fx.JSON.writeValueAsString(ticket("No create right", queue, null,
                "x"))), 400, "VALIDATION_FAILED");
        // ro + note may add internal notes but not phone articles
        assertEquals(201, post("/api/v1/tickets/" + id + "/articles", ro, "{\"body\":\"a note\"}").statusCode());
        assertError(post("/api/v1/tickets/" + id + "/articles", ro, "{\"channel\":\"phone\",\"body\":\"x\"}"),
                403, "PERMISSION_DENIED");
        // moving needs move_into on the target queue too; a queue the agent cannot use does not exist for them
        assertError(put("/api/v1/tickets/" + id, rw, "{\"queue_id\":" + target + "}"), 400, "VALIDATION_FAILED");
        // the new owner must hold the owner permission on the queue
        long stranger = fx.agent(fx.name("perm.stranger"), Map.of());
        assertError(put("/api/v1/tickets/" + id, rw, "{\"owner_id\":" + stranger + "}"), 400, "VALIDATION_FAILED");
        assertError(put("/api/v1/tickets/" + id, rw, "{\"state_id\":6}"), 400, "VALIDATION_FAILED");
        assertError(put("/api/v1/tickets/" + id, rw, "{\"state_id\":4,\"pending_until\":\"2030-01-01T00:00:00Z\"}"),
                400, "VALIDATION_FAILED");
    }

    @Test
    public void agentsSeeWhoElseViewsATicket() throws Exception {
        HelpDeskFixture fx = fixture();
        long group = fx.group(fx.name("here"));
        long queue = fx.queue("Here " + fx.suffix, group);
        fx.agent(fx.name("here.a"), Map.of(group, new String[] {"rw"}));
        fx.agent(fx.name("here.b"), Map.of(group, new String[] {"ro"}));
        fx.agent(fx.name("here.out"), Map.of());
        fx.company(fx.name("HERE"));
        fx.customer(fx.name("here.cust"), fx.name("HERE"));
        String a = fx.agentToken(fx.name("here.a"));
        String b = fx.agentToken(fx.name("here.b"));
        long id = fx.call("POST", "/api/v1/tickets", a, Map.of("title", "Presence", "queue_id", queue,
                "customer_user_id", fx.name("here.cust"), "customer_id", fx.name("HERE"),
                "article", Map.of("channel", "phone", "body", "x")), 201).path("data").path("id").asLong();
        String presence = "/api/v1/tickets/" + id + "/presence";

        assertEquals("[]", fx.call("GET", presence, a, null, 200).path("data").toString());
        JsonNode viewers = fx.call("PUT", presence, a, null, 200).path("data");
        assertEquals(1, viewers.size());
        assertEquals(fx.name("here.a"), viewers.get(0).path("login").asText());
        assertEquals("Test " + fx.name("here.a"), viewers.get(0).path("name").asText());
        assertTrue(viewers.get(0).has("last_seen"));
        fx.call("PUT", presence, a, null, 200); // again: still one row
        viewers = fx.call("PUT", presence, b, null, 200).path("data");
        assertEquals(viewers.toString(), 2, viewers.size());
        assertEquals(2, fx.call("GET", presence, a, null, 200).path("data").size());

        // who may not see the ticket learns nothing, not even that it exists
        String outsider = fx.agentToken(fx.name("here.out"));
        String customer = fx.customerToken(fx.name("here.cust"));
        for (String token : new String[] {outsider, customer}) {
            assertError(get(presence, token), 404, "NOT_FOUND");
            assertError(put(presence, token, ""), 404, "NOT_FOUND");
            assertError(send(HttpRequest.newBuilder(URI.create(base() + presence)).DELETE(), token), 404, "NOT_FOUND");
        }
        assertError(put("/api/v1/tickets/999999999/presence", a, ""), 404, "NOT_FOUND");
        assertEquals(401, get(presence, null).statusCode());

        fx.call("DELETE", presence, a, null, 200);
        fx.call("DELETE", presence, a, null, 200); // leaving twice is fine
        viewers = fx.call("GET", presence, b, null, 200).path("data");
        assertEquals(viewers.toString(), 1, viewers.size());
        assertEquals(fx.name("here.b"), viewers.get(0).path("login").asText());
    }

    @Test
    public void customersSeeTheirOwnTicketsAndOnlyCustomerVisibleArticles() throws Exception {
        HelpDeskFixture fx = fixture();
        String admin = adminToken();
        String company = fx.name("cust-co");
        fx.company(company);
        fx.customer(fx.name("alice"), company);
        fx.customer(fx.name("bob"), company);
        String alice = fx.customerToken(fx.name("alice"));
        String bob = fx.customerToken(fx.name("bob"));

        JsonNode mine = fx.call("POST", "/api/v1/tickets", alice, Map.of("title", "My laptop is slow",
                "article", Map.of("body", "It takes ages to boot")), 201).path("data");
        long id = mine.path("id").asLong();
        assertEquals(fx.name("alice"), mine.path("customer_user_id").asText());
        assertEquals(company, mine.path("customer_id").asText());
        assertEquals("Postmaster", mine.path("queue").asText());
        // a customer cannot choose queue, state, owner or visibility
        assertError(post("/api/v1/tickets/" + id + "/articles", alice,
                "{\"body\":\"x\",\"visible_for_customer\":false}"), 400, "VALIDATION_FAILED");

        fx.call("POST", "/api/v1/tickets/" + id + "/articles", admin, Map.of("channel", "note",
                "body", "Internal: reimage it"), 201);
        fx.call("POST", "/api/v1/tickets/" + id + "/articles", admin, Map.of("channel", "email",
                "body", "We will reimage your laptop"), 201);
        JsonNode articles = fx.call("GET", "/api/v1/tickets/" + id + "/articles", alice, null, 200).path("data");
        assertEquals(2, articles.size());
        assertFalse(articles.toString(), articles.toString().contains("reimage it"));
        long note = fx.call("GET", "/api/v1/tickets/" + id + "/articles", admin, null, 200).path("data").get(1)
                .path("id").asLong();
        assertError(get("/api/v1/tickets/" + id + "/articles/" + note, alice), 404, "NOT_FOUND");
        // words of internal notes are not searchable for customers
        assertEquals(0, fx.call("GET", "/api/v1/search/tickets?q=internal", alice, null, 200).path("pagination")
                .path("total").asInt());
        assertEquals(1, fx.call("GET", "/api/v1/search/tickets?q=internal&queue_id=1", admin, null, 200)
                .path("data").findValues("id").stream().filter(n -> n.asLong() == id).count());
        assertEquals(1, fx.call("GET", "/api/v1/search/tickets?q=reimage", alice, null, 200).path("pagination")
                .path("total").asInt());

        // bob (same company) sees nothing until company tickets are switched on
        assertError(get("/api/v1/tickets/" + id, bob), 404, "NOT_FOUND");
        assertEquals(0, fx.call("GET", "/api/v1/tickets", bob, null, 200).path("pagination").path("total").asInt());
        fx.call("PUT", "/api/v1/admin/sysconfig/CustomerPortal::CompanyTickets", admin, Map.of("value", true), 200);
        try {
            assertEquals(200, get("/api/v1/tickets/" + id, bob).statusCode());
            assertEquals(1, fx.call("GET", "/api/v1/tickets", bob, null, 200).path("pagination").path("total").asInt());
        } finally {
            fx.call("DELETE", "/api/v1/admin/sysconfig/CustomerPortal::CompanyTickets", admin, null, 200);
        }
        assertError(get("/api/v1/tickets/" + id, bob), 404, "NOT_FOUND");

        // a follow-up on a closed ticket opens it again
        fx.call("PUT", "/api/v1/tickets/" + id, admin, Map.of("state_id", 2), 200);
        fx.call("POST", "/api/v1/tickets/" + id + "/articles", alice, Map.of("body", "Still slow!"), 201);
        assertEquals("open", fx.call("GET", "/api/v1/tickets/" + id, alice, null, 200).path("data").path("state")
                .asText());
        // customers have no agent routes
        assertError(put("/api/v1/tickets/" + id, alice, "{\"priority_id\":5}"), 404, "NOT_FOUND");
        assertError(get("/api/v1/tickets/" + id + "/history", alice), 404, "NOT_FOUND");
        assertError(get("/api/v1/queues", alice), 404, "NOT_FOUND");
    }

    @Test
    public void articlesCanBeCorrectedAndRemovedAndTheIndexFollows() throws Exception {
        HelpDeskFixture fx = fixture();
        String admin = adminToken();
        String company = fx.name("art-co");
        fx.company(company);
        fx.customer(fx.name("carol"), company);
        String carol = fx.customerToken(fx.name("carol"));
        long id = fx.call("POST", "/api/v1/tickets", carol, Map.of("title", "Article care",
                "article", Map.of("body", "first words")), 201).path("data").path("id").asLong();
        String marker = "walrus" + fx.suffix.replaceAll("[^a-z0-9]", "");
        JsonNode note = fx.call("POST", "/api/v1/tickets/" + id + "/articles", admin, Map.of("channel", "note",
                "subject", "Draft", "body", "about the " + marker), 201).path("data");
        long noteId = note.path("id").asLong();
        assertEquals("note", note.path("channel").asText());
        assertEquals("agent", note.path("sender_type").asText());
        assertFalse(note.path("visible_for_customer").asBoolean());
        assertEquals(0, fx.call("GET", "/api/v1/search/tickets?q=" + marker, carol, null, 200).path("pagination")
                .path("total").asInt());

        // making the note visible shows it (and its words) to the customer
        JsonNode changed = fx.call("PUT", "/api/v1/tickets/" + id + "/articles/" + noteId, admin,
                Map.of("subject", "Answer", "visible_for_customer", true), 200).path("data");
        assertEquals("Answer", changed.path("subject").asText());
        assertEquals(2, fx.call("GET", "/api/v1/tickets/" + id + "/articles", carol, null, 200).path("data").size());
        assertEquals(1, fx.call("GET", "/api/v1/search/tickets?q=" + marker, carol, null, 200).path("pagination")
                .path("total").asInt());
        // new body text replaces the old words in the index
        fx.call("PUT", "/api/v1/tickets/" + id + "/articles/" + noteId, admin, Map.of("body", "something else"), 200);
        assertEquals(0, fx.call("GET", "/api/v1/search/tickets?q=" + marker, admin, null, 200).path("pagination")
                .path("total").asInt());

        fx.call("DELETE", "/api/v1/tickets/" + id + "/articles/" + noteId, admin, null, 200);
        assertError(get("/api/v1/tickets/" + id + "/articles/" + noteId, admin), 404, "NOT_FOUND");
        assertEquals(1, fx.call("GET", "/api/v1/tickets/" + id + "/articles", admin, null, 200).path("data").size());
        List<String> types = new ArrayList<>();
        fx.call("GET", "/api/v1/tickets/" + id + "/history", admin, null, 200).path("data")
                .forEach(h -> types.add(h.path("type").asText()));
        assertEquals(List.of("NewTicket", "AddNote", "ArticleUpdate", "ArticleUpdate", "ArticleDelete"), types);
        assertError(put("/api/v1/tickets/" + id + "/articles/" + noteId, admin, "{\"subject\":\"x\"}"), 404,
                "NOT_FOUND");
    }
}
