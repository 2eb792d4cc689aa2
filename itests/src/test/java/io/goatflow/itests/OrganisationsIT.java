package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
 * Organisations over HTTP: administration, the org switcher, and isolation. Two organisations, an agent and a
 * customer in each with the same queue rights; everything of one organisation answers 404 to the other's people,
 * whatever the route, and switching follows membership, which is checked on every request.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OrganisationsIT extends GoatFlowTestSupport {

    private long org(HelpDeskFixture fx, String admin, String name, Map<String, Object> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("name", name);
        return fx.call("POST", "/api/v1/organisations", admin, body, 201).path("data").path("id").asLong();
    }

    private long member(HelpDeskFixture fx, String admin, long org, Map<String, Object> body) throws IOException {
        return fx.call("POST", "/api/v1/organisations/" + org + "/members", admin, body, 201).path("data").path("id")
                .asLong();
    }

    private static List<String> numbers(JsonNode list) {
        List<String> result = new ArrayList<>();
        list.path("data").forEach(t -> result.add(t.path("ticket_number").asText()));
        return result;
    }

    @Test
    public void administrationValidatesAndRefusesWhatWouldBreak() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        // the switcher is empty while the admin belongs to no organisation
        assertEquals(0, fx.call("GET", "/api/v1/session/orgs", admin, null, 200).path("data").size());

        JsonNode created = fx.call("POST", "/api/v1/organisations", admin, Map.of("name", "Crème Brûlée " + fx.suffix),
                201).path("data");
        assertEquals("creme-brulee-" + fx.suffix, created.path("slug").asText());
        assertEquals("active", created.path("status").asText());
        long parent = created.path("id").asLong();

        JsonNode bad = assertError(post("/api/v1/organisations", admin, "{\"name\":\"\",\"slug\":\"Not A Slug\","
                + "\"status\":\"sleeping\",\"parent_id\":999999,\"customer_company_id\":\"nobody-" + fx.suffix + "\"}"),
                400, "VALIDATION_FAILED");
        for (String field : List.of("name", "slug", "status", "parent_id", "customer_company_id")) {
            assertTrue(field + " named in " + bad, bad.path("error").path("fields").has(field));
        }
        assertError(post("/api/v1/organisations", admin, "{\"name\":\"Copy\",\"slug\":\"creme-brulee-" + fx.suffix
                + "\"}"), 409, "DUPLICATE");
        assertError(post("/api/v1/organisations", admin, "{\"name\":"), 400, "INVALID_JSON");
        assertError(get("/api/v1/organisations/999999", admin), 404, "NOT_FOUND");
        assertError(get("/api/v1/organisations/abc", admin), 404, "NOT_FOUND");

        long child = org(fx, admin, "Child " + fx.suffix, Map.of("parent_id", parent));
        long grandchild = org(fx, admin, "Grandchild " + fx.suffix, Map.of("parent_id", child));
        // a parent cannot become its own descendant
        JsonNode loop = assertError(put("/api/v1/organisations/" + parent, admin, "{\"parent_id\":" + grandchild + "}"),
                400, "VALIDATION_FAILED");
        assertTrue(loop.toString(), loop.path("error").path("fields").path("parent_id").asText().contains("ancestor"));
        assertError(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/api/v1/organisations/"
                + child)).DELETE(), admin), 409, "ORG_IN_USE");

        // members: exactly one of agent or customer, existing accounts, known roles, no duplicates
        long agent = fx.agent(fx.name("org.admin.agent"), Map.of());
        JsonNode refused = assertError(post("/api/v1/organisations/" + parent + "/members", admin,
                "{\"user_id\":" + agent + ",\"customer_login\":\"x\",\"role\":\"king\"}"), 400, "VALIDATION_FAILED");
        assertTrue(refused.toString(), refused.path("error").path("fields").has("role"));
        assertError(post("/api/v1/organisations/" + parent + "/members", admin, "{\"user_id\":999999}"), 400,
                "VALIDATION_FAILED");
        long membership = member(fx, admin, parent, Map.of("user_id", agent, "role", "admin"));
        assertError(post("/api/v1/organisations/" + parent + "/members", admin, "{\"user_id\":" + agent + "}"), 409,
                "DUPLICATE");
        assertError(put("/api/v1/organisations/" + child + "/members/" + membership, admin, "{\"role\":\"owner\"}"),
                404, "NOT_FOUND");
        assertEquals("owner", fx.call("PUT", "/api/v1/organisations/" + parent + "/members/" + membership, admin,
                Map.of("role", "owner"), 200).path("data").path("role").asText());

        // an administrator of the parent reaches its descendants through the switcher
        String agentToken = fx.agentToken(fx.name("org.admin.agent"));
        JsonNode orgs = fx.call("GET", "/api/v1/session/orgs", agentToken, null, 200).path("data");
        assertEquals(orgs.toString(), 3, orgs.size());
        fx.call("POST", "/api/v1/session/org", agentToken, Map.of("org_id", grandchild), 200);
        for (JsonNode o : fx.call("GET", "/api/v1/session/orgs", agentToken, null, 200).path("data")) {
            assertEquals(o.toString(), o.path("id").asLong() == grandchild, o.path("current").asBoolean());
        }

        // plugin access grants
        assertError(post("/api/v1/organisations/" + parent + "/plugin-access", admin, "{\"plugin\":\"Bad Name\"}"),
                400, "VALIDATION_FAILED");
        fx.call("POST", "/api/v1/organisations/" + parent + "/plugin-access", admin, Map.of("plugin", "hello"), 201);
        assertEquals(1, fx.call("GET", "/api/v1/organisations/" + parent + "/plugin-access", admin, null, 200)
                .path("data").size());
        fx.call("DELETE", "/api/v1/organisations/" + parent + "/plugin-access/hello", admin, null, 204);
        assertError(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/api/v1/organisations/"
                + parent + "/plugin-access/hello")).DELETE(), admin), 404, "NOT_FOUND");

        // an empty organisation can be deleted; members go with it
        fx.call("DELETE", "/api/v1/organisations/" + grandchild, admin, null, 204);
        assertError(get("/api/v1/organisations/" + grandchild, admin), 404, "NOT_FOUND");

        // nobody but administrators sees the administration
        assertError(get("/api/v1/organisations", agentToken), 404, "NOT_FOUND");
        assertError(get("/api/v1/organisations", null), 401, "UNAUTHORIZED");
    }

    @Test
    public void twoOrganisationsSeeNothingOfEachOther() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        long users = fx.groupId("users");
        long group = fx.group(fx.name("tenants"));
        long queue = fx.queue("Tenants " + fx.suffix, group);
        Map<Long, String[]> rights = Map.of(group, new String[] {"rw"}, users, new String[] {"rw"});
        long agentA = fx.agent(fx.name("agent.a"), rights);
        long agentB = fx.agent(fx.name("agent.b"), rights);
        long agentAB = fx.agent(fx.name("agent.ab"), rights);
        fx.company(fx.name("company-a"));
        fx.company(fx.name("company-b"));
        fx.customer(fx.name("cust.a"), fx.name("company-a"));
        fx.customer(fx.name("cust.b"), fx.name("company-b"));

        // before any of these organisations, the agents share everything (single-tenant behaviour)
        String beforeA = fx.agentToken(fx.name("agent.a"));
        long shared = fx.call("POST", "/api/v1/tickets", beforeA, Map.of("title", "Shared " + fx.suffix, "queue_id",
                queue, "article", Map.of("channel", "phone", "body", "before organisations")), 201)
                .path("data").path("id").asLong();
        fx.call("GET", "/api/v1/tickets/" + shared, fx.agentToken(fx.name("agent.b")), null, 200);

        // A links company-a (its customers belong without a membership row); B lists its customer explicitly
        long a = org(fx, admin, "Tenant A " + fx.suffix, Map.of("customer_company_id", fx.name("company-a")));
        long b = org(fx, admin, "Tenant B " + fx.suffix, Map.of());
        member(fx, admin, a, Map.of("user_id", agentA));
        member(fx, admin, b, Map.of("user_id", agentB));
        member(fx, admin, b, Map.of("customer_login", fx.name("cust.b")));
        member(fx, admin, a, Map.of("user_id", agentAB));
        member(fx, admin, b, Map.of("user_id", agentAB, "is_default", true));

        String tokenA = fx.agentToken(fx.name("agent.a"));
        String tokenB = fx.agentToken(fx.name("agent.b"));
        String tokenAB = fx.agentToken(fx.name("agent.ab"));
        String custA = fx.customerToken(fx.name("cust.a"));
        String custB = fx.customerToken(fx.name("cust.b"));
        // the membership holds on the very next request of a session opened before it (beforeA)
        assertError(get("/api/v1/tickets/" + shared, beforeA), 404, "NOT_FOUND");

        JsonNode mine = fx.call("GET", "/api/v1/session/orgs", tokenA, null, 200).path("data");
        assertEquals(1, mine.size());
        assertEquals(a, mine.get(0).path("id").asLong());
        assertTrue(mine.get(0).path("current").asBoolean());
        assertEquals(b, current(fx, tokenAB));

        JsonNode ticketA = fx.call("POST", "/api/v1/tickets", tokenA, Map.of("title", "Alpha secret " + fx.suffix,
                "queue_id", queue, "customer_user_id", fx.name("cust.a"), "article", Map.of("channel", "phone",
                        "body", "alpha body"), "customer_id", fx.name("company-a")), 201).path("data");
        long idA = ticketA.path("id").asLong();
        long articleA = fx.call("GET", "/api/v1/tickets/" + idA + "/articles", tokenA, null, 200).path("data").get(0)
                .path("id").asLong();
        JsonNode ticketB = fx.call("POST", "/api/v1/tickets", custB, Map.of("title", "Beta secret " + fx.suffix,
                "article", Map.of("body", "beta body")), 201).path("data");
        long idB = ticketB.path("id").asLong();

        // every route of A's ticket is 404 for B's agent, who holds the same queue rights
        String t = "/api/v1/tickets/" + idA;
        for (String path : List.of(t, t + "/articles", t + "/articles/" + articleA, t + "/history", t + "/presence",
                t + "/articles/" + articleA + "/attachments", "/api/v1/custom-fields/values/ticket/" + idA)) {
            assertError(get(path, tokenB), 404, "NOT_FOUND");
            assertError(get(path, custB), 404, "NOT_FOUND");
        }
        assertError(put(t, tokenB, "{\"title\":\"taken over\"}"), 404, "NOT_FOUND");
        assertError(post(t + "/articles", tokenB, "{\"body\":\"hello from B\"}"), 404, "NOT_FOUND");
        assertError(post(t + "/reopen", tokenB, "{}"), 404, "NOT_FOUND");
        assertError(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + t)).DELETE(), tokenB), 404,
                "NOT_FOUND");
        assertFalse(get("/api/v1/custom-fields/values/ticket?ids=" + idA, tokenB).body().contains("\"object_id\""));
        // lists and search leave it out
        assertFalse(numbers(fx.call("GET", "/api/v1/tickets?per_page=100", tokenB, null, 200))
                .contains(ticketA.path("ticket_number").asText()));
        assertEquals(0, fx.call("GET", "/api/v1/search/tickets?q=alpha", tokenB, null, 200).path("data").size());
        assertEquals(List.of(ticketB.path("ticket_number").asText()),
                numbers(fx.call("GET", "/api/v1/tickets?per_page=100&search=secret", tokenB, null, 200)));
        // and the other way round; A's customer (through the company link) sees A's ticket only
        assertError(get("/api/v1/tickets/" + idB, tokenA), 404, "NOT_FOUND");
        assertEquals(List.of(ticketA.path("ticket_number").asText()),
                numbers(fx.call("GET", "/api/v1/tickets?per_page=100", custA, null, 200)));
        fx.call("GET", t, tokenA, null, 200);
        // the ticket from before the organisations stays outside both
        assertError(get("/api/v1/tickets/" + shared, tokenA), 404, "NOT_FOUND");
        // an agent in no organisation keeps working outside them all
        fx.agent(fx.name("agent.none"), rights);
        String tokenNone = fx.agentToken(fx.name("agent.none"));
        fx.call("GET", "/api/v1/tickets/" + shared, tokenNone, null, 200);
        assertError(get(t, tokenNone), 404, "NOT_FOUND");
        assertEquals(0, fx.call("GET", "/api/v1/session/orgs", tokenNone, null, 200).path("data").size());

        // customers of an organisation are changed by its own agents (and admins): B's agent cannot take over A's
        // customer, nor make a customer of A's company for itself
        long custAId = fx.call("GET", "/api/v1/customer-users?search=" + fx.name("cust.a"), admin, null, 200)
                .path("data").get(0).path("id").asLong();
        assertError(put("/api/v1/customer-users/" + custAId, tokenB, "{\"password\":\"Taken-0ver-Passw0rd\"}"), 404,
                "NOT_FOUND");
        JsonNode refusedCustomer = assertError(post("/api/v1/customer-users", tokenB, "{\"login\":\""
                + fx.name("spy") + "\",\"email\":\"spy@example.test\",\"customer_id\":\"" + fx.name("company-a")
                + "\",\"first_name\":\"S\",\"last_name\":\"Py\",\"password\":\"Spy-Passw0rd-123\"}"), 400,
                "VALIDATION_FAILED");
        assertTrue(refusedCustomer.toString(), refusedCustomer.path("error").path("fields").has("customer_id"));
        fx.call("PUT", "/api/v1/customer-users/" + custAId, tokenA, Map.of("comments", "seen by A"), 200);

        // switching: a non-member gets 404, a member moves and sees the other organisation's tickets only
        assertError(post("/api/v1/session/org", tokenB, "{\"org_id\":" + a + "}"), 404, "NOT_FOUND");
        assertError(post("/api/v1/session/org", tokenB, "{\"org_id\":999999}"), 404, "NOT_FOUND");
        assertError(post("/api/v1/session/org", tokenB, "{}"), 400, "VALIDATION_FAILED");
        assertError(get(t, tokenAB), 404, "NOT_FOUND");
        fx.call("GET", "/api/v1/tickets/" + idB, tokenAB, null, 200);
        fx.call("POST", "/api/v1/session/org", tokenAB, Map.of("org_id", a), 200);
        assertEquals(a, current(fx, tokenAB));
        fx.call("GET", t, tokenAB, null, 200);
        assertError(get("/api/v1/tickets/" + idB, tokenAB), 404, "NOT_FOUND");
        long createdInA = fx.call("POST", "/api/v1/tickets", tokenAB, Map.of("title", "Made in A " + fx.suffix,
                "queue_id", queue, "article", Map.of("channel", "phone", "body", "a")), 201).path("data").path("id")
                .asLong();
        fx.call("GET", "/api/v1/tickets/" + createdInA, tokenA, null, 200);
        assertError(get("/api/v1/tickets/" + createdInA, tokenB), 404, "NOT_FOUND");

        // a removed membership ends access on the next request; the session falls back to the default (B)
        long abInA = memberId(fx, admin, a, agentAB);
        fx.call("DELETE", "/api/v1/organisations/" + a + "/members/" + abInA, admin, null, 204);
        assertEquals(b, current(fx, tokenAB));
        assertError(get(t, tokenAB), 404, "NOT_FOUND");

        // suspending B locks its members out of its data; they cannot switch into it or open tickets
        fx.call("PUT", "/api/v1/organisations/" + b, admin, Map.of("status", "suspended"), 200);
        assertError(get("/api/v1/tickets/" + idB, tokenB), 404, "NOT_FOUND");
        assertEquals(0, fx.call("GET", "/api/v1/tickets", tokenB, null, 200).path("data").size());
        assertError(post("/api/v1/session/org", tokenB, "{\"org_id\":" + b + "}"), 409, "ORG_NOT_ACTIVE");
        assertError(post("/api/v1/tickets", tokenB, "{\"title\":\"x\",\"queue_id\":" + queue
                + ",\"article\":{\"body\":\"x\"}}"), 409, "ORG_NOT_ACTIVE");
        fx.call("PUT", "/api/v1/organisations/" + b, admin, Map.of("status", "active"), 200);
        fx.call("GET", "/api/v1/tickets/" + idB, tokenB, null, 200);
        // an organisation with tickets is archived, not deleted
        assertError(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/api/v1/organisations/"
                + a)).DELETE(), admin), 409, "ORG_IN_USE");
    }

    private static long current(HelpDeskFixture fx, String token) throws IOException {
        for (JsonNode o : fx.call("GET", "/api/v1/session/orgs", token, null, 200).path("data")) {
            if (o.path("current").asBoolean()) {
                return o.path("id").asLong();
            }
        }
        return 0;
    }

    private static long memberId(HelpDeskFixture fx, String admin, long org, long agent) throws IOException {
        for (JsonNode m : fx.call("GET", "/api/v1/organisations/" + org + "/members", admin, null, 200).path("data")) {
            if (m.path("user_id").asLong() == agent) {
                return m.path("id").asLong();
            }
        }
        throw new AssertionError("no membership of " + agent + " in " + org);
    }
}
