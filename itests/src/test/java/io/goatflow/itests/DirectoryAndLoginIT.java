package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Accounts and login: admins manage agents, groups, roles and lookups; agents manage customers; agents and
 * customers log in with a bearer token or the session cookie; failed logins are throttled without revealing
 * which accounts exist.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DirectoryAndLoginIT extends GoatFlowTestSupport {

    private HttpResponse<String> login(String path, String login, String password, boolean cookie) throws Exception {
        return post(path, null, HelpDeskFixture.JSON.writeValueAsString(Map.of("login", login, "password", password,
                "cookie", cookie)));
    }

    @Test
    public void adminsManageAgentsGroupsAndRoles() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String login = fx.name("dir.agent");
        long id = fx.call("POST", "/api/v1/users", admin, Map.of("login", login, "password", "long-password-1",
                "first_name", "Dana", "last_name", "Dir"), 201).path("data").path("id").asLong();
        assertError(post("/api/v1/users", admin, HelpDeskFixture.JSON.writeValueAsString(Map.of("login", login,
                "password", "long-password-1", "first_name", "A", "last_name", "B"))), 409, "DUPLICATE");
        assertError(post("/api/v1/users", admin, "{\"login\":\"short.pw\",\"password\":\"short\",\"first_name\":\"A\","
                + "\"last_name\":\"B\"}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/users", admin, "{\"login\":\"bad login\",\"password\":\"long-password-1\","
                + "\"first_name\":\"A\",\"last_name\":\"B\"}"), 400, "VALIDATION_FAILED");
        String token = TestHttp.login(http, base(), login, "long-password-1");
        JsonNode me = fx.call("GET", "/api/v1/users/me", token, null, 200).path("data");
        assertEquals(login, me.path("login").asText());
        assertFalse(me.path("admin").asBoolean());
        assertFalse(me.toString(), me.toString().contains("$2"));

        // permissions through a role, replaced as a whole
        long group = fx.group(fx.name("dir-group"));
        long role = fx.call("POST", "/api/v1/roles", admin, Map.of("name", fx.name("dir-role")), 201).path("data")
                .path("id").asLong();
        fx.call("PUT", "/api/v1/roles/" + role + "/groups", admin, Map.of(String.valueOf(group), List.of("ro", "note")),
                200);
        assertError(put("/api/v1/roles/" + role + "/groups", admin, "{\"" + group + "\":[\"superuser\"]}"), 400,
                "VALIDATION_FAILED");
        fx.call("PUT", "/api/v1/users/" + id + "/roles", admin, List.of(role), 200);
        long queue = fx.queue("Dir " + fx.suffix, group);
        long ticket = fx.call("POST", "/api/v1/tickets", admin, Map.of("title", "Dir", "queue_id", 1,
                "article", Map.of("body", "x")), 201).path("data").path("id").asLong();
        assertEquals(1, fx.call("GET", "/api/v1/queues", token, null, 200).path("data").size());
        assertEquals(queue, fx.call("GET", "/api/v1/queues", token, null, 200).path("data").get(0).path("id").asLong());
        assertError(get("/api/v1/tickets/" + ticket, token), 404, "NOT_FOUND");
        fx.call("PUT", "/api/v1/roles/" + role, admin, Map.of("valid", false), 200);
        assertEquals(0, fx.call("GET", "/api/v1/queues", token, null, 200).path("data").size());

        // disabling an agent ends its sessions at once
        fx.call("DELETE", "/api/v1/users/" + id, admin, null, 200);
        assertError(get("/api/v1/users/me", token), 401, "UNAUTHORIZED");
        assertError(login("/api/v1/auth/login", login, "long-password-1", false), 401, "INVALID_CREDENTIALS");
        // admins cannot lock themselves out
        long adminId = fx.call("GET", "/api/v1/users/me", admin, null, 200).path("data").path("id").asLong();
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/" + adminId)).DELETE(), admin), 409,
                "SELF_LOCKOUT");
        assertError(put("/api/v1/users/" + adminId + "/groups", admin, "{}"), 409, "SELF_LOCKOUT");
        long adminGroup = fx.groupId("admin");
        assertError(put("/api/v1/groups/" + adminGroup, admin, "{\"name\":\"root\"}"), 409, "PROTECTED_GROUP");
    }

    @Test
    public void everyoneManagesTheirOwnPreferencesPasswordAndSavedSearches() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String agent = fx.name("profile.agent");
        fx.agent(agent, Map.of());
        String token = fx.agentToken(agent);
        String company = fx.name("ProfileCo");
        fx.company(company);
        String customer = fx.name("profile.cust");
        fx.customer(customer, company);
        String customerToken = fx.customerToken(customer);

        JsonNode none = fx.call("GET", "/api/v1/users/me/preferences", token, null, 200).path("data");
        assertTrue(none.path("language").isNull());
        assertFalse(none.path("demo_mode").asBoolean());
        JsonNode set = fx.call("PUT", "/api/v1/users/me/preferences", token,
                Map.of("language", "he", "theme", "dark"), 200).path("data");
        assertEquals("he", set.path("language").asText());
        assertEquals("dark", set.path("theme").asText());
        fx.call("PUT", "/api/v1/users/me/preferences", customerToken, Map.of("language", "tlh"), 200);
        assertEquals("tlh", fx.call("GET", "/api/v1/users/me/preferences", customerToken, null, 200)
                .path("data").path("language").asText());
        assertEquals("agent and customer preferences are apart", "he",
                fx.call("GET", "/api/v1/users/me/preferences", token, null, 200).path("data").path("language").asText());
        assertError(put("/api/v1/users/me/preferences", token, "{\"language\":\"xx\"}"), 400, "VALIDATION_FAILED");
        assertError(put("/api/v1/users/me/preferences", token, "{\"theme\":\"<b>\"}"), 400, "VALIDATION_FAILED");
        assertError(put("/api/v1/users/me/preferences", token, "{\"theme\":"), 400, "INVALID_JSON");

        assertError(post("/api/v1/users/me/saved-searches", token, "{\"name\":\"\",\"query\":\"x\"}"), 400,
                "VALIDATION_FAILED");
        assertError(post("/api/v1/users/me/saved-searches", token, "{\"name\":\"n\",\"query\":\"x\","
                + "\"status\":\"weird\"}"), 400, "VALIDATION_FAILED");
        assertEquals(404, post("/api/v1/users/me/saved-searches", customerToken,
                "{\"name\":\"n\",\"query\":\"x\"}").statusCode());
        fx.call("POST", "/api/v1/users/me/saved-searches", token, Map.of("name", "Printers", "query", "printer",
                "status", "open"), 200);
        fx.call("POST", "/api/v1/users/me/saved-searches", token, Map.of("name", "Printers", "query", "printer jam"),
                200);
        JsonNode saved = fx.call("GET", "/api/v1/users/me/saved-searches", token, null, 200).path("data");
        assertEquals("saving under the same name replaces: " + saved, 1, saved.size());
        assertEquals("printer jam", saved.get(0).path("query").asText());
        assertEquals("admin sees none of the agent's searches", 0,
                fx.call("GET", "/api/v1/users/me/saved-searches", admin, null, 200).path("data").size());
        assertTrue(fx.call("DELETE", "/api/v1/users/me/saved-searches/Printers", token, null, 200)
                .path("data").path("existed").asBoolean());
        assertEquals(0, fx.call("GET", "/api/v1/users/me/saved-searches", token, null, 200).path("data").size());

        assertError(put("/api/v1/users/me/password", token, "{\"current_password\":\"wrong-password-9\","
                + "\"new_password\":\"brand-new-password-1\"}"), 400, "WRONG_PASSWORD");
        assertError(put("/api/v1/users/me/password", token, "{\"current_password\":\"" + HelpDeskFixture.PASSWORD
                + "\",\"new_password\":\"short\"}"), 400, "VALIDATION_FAILED");
        assertError(put("/api/v1/users/me/password", token, "{}"), 400, "VALIDATION_FAILED");
        fx.call("PUT", "/api/v1/users/me/password", token, Map.of("current_password", HelpDeskFixture.PASSWORD,
                "new_password", "brand-new-password-1"), 200);
        assertEquals("the password change ends the session", 401, get("/api/v1/users/me", token).statusCode());
        assertEquals(401, login("/api/v1/auth/login", agent, HelpDeskFixture.PASSWORD, false).statusCode());
        assertEquals(200, login("/api/v1/auth/login", agent, "brand-new-password-1", false).statusCode());
        fx.call("PUT", "/api/v1/users/me/password", customerToken, Map.of("current_password", HelpDeskFixture.PASSWORD,
                "new_password", "customer-new-password-1"), 200);
        assertEquals(401, get("/api/v1/users/me", customerToken).statusCode());
    }

    @Test
    public void agentsManageCustomersAndAdminsManageLookups() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        fx.agent(fx.name("cm.agent"), Map.of(fx.groupId("users"), new String[] {"rw"}));
        fx.agent(fx.name("cm.ro"), Map.of(fx.groupId("users"), new String[] {"ro"}));
        String agent = fx.agentToken(fx.name("cm.agent"));
        String readOnly = fx.agentToken(fx.name("cm.ro"));
        String company = fx.name("cm-co");
        fx.call("POST", "/api/v1/customer-companies", agent, Map.of("customer_id", company, "name", company,
                "url", "https://example.test"), 201);
        assertError(post("/api/v1/customer-companies", agent, "{\"customer_id\":\"" + company + "\",\"name\":\"dup\"}"),
                409, "DUPLICATE");
        assertError(post("/api/v1/customer-companies", agent, "{\"customer_id\":\"x" + company
                + "\",\"name\":\"x\",\"url\":\"javascript:alert(1)\"}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/customer-companies", readOnly, "{\"customer_id\":\"ro\",\"name\":\"ro\"}"), 403,
                "PERMISSION_DENIED");
        long customer = fx.call("POST", "/api/v1/customer-users", agent, Map.of("login", fx.name("cm.cust"),
                "email", "cm@example.test", "customer_id", company, "first_name", "C", "last_name", "M"), 201)
                .path("data").path("id").asLong();
        assertError(post("/api/v1/customer-users", agent, "{\"login\":\"nobody.co\",\"email\":\"x@example.test\","
                + "\"customer_id\":\"no-such-company\",\"first_name\":\"A\",\"last_name\":\"B\"}"), 400,
                "VALIDATION_FAILED");
        assertError(post("/api/v1/customer-users", agent, "{\"login\":\"bad.mail\",\"email\":\"not-an-address\","
                + "\"customer_id\":\"" + company + "\",\"first_name\":\"A\",\"last_name\":\"B\"}"), 400,
                "VALIDATION_FAILED");
        // without a password a customer cannot log in; with one they can, and disabling ends that
        assertError(login("/api/v1/auth/customer/login", fx.name("cm.cust"), "anything-at-all", false), 401,
                "INVALID_CREDENTIALS");
        fx.call("PUT", "/api/v1/customer-users/" + customer, agent, Map.of("password", "customer-pass-1"), 200);
        String token = json(login("/api/v1/auth/customer/login", fx.name("cm.cust"), "customer-pass-1", false))
                .path("data").path("token").asText();
        assertEquals(company, fx.call("GET", "/api/v1/users/me", token, null, 200).path("data").path("customer_id")
                .asText());
        assertEquals(1, fx.call("GET", "/api/v1/customer-users?customer_id=" + company, readOnly, null, 200)
                .path("pagination").path("total").asInt());
        assertEquals(1, fx.call("GET", "/api/v1/customer-users?search=" + fx.name("cm.cust").substring(0, 12), readOnly, null, 200)
                .path("pagination").path("total").asInt());
        // tickets refer to customers by login, so a login is never renamed
        assertError(put("/api/v1/customer-users/" + customer, agent, "{\"login\":\"renamed." + fx.suffix + "\"}"), 400,
                "VALIDATION_FAILED");
        fx.call("DELETE", "/api/v1/customer-users/" + customer, agent, null, 200);
        assertError(get("/api/v1/users/me", token), 401, "UNAUTHORIZED");
        // an agent login does not work as a customer and the other way round
        assertError(login("/api/v1/auth/customer/login", "admin", adminPassword(), false), 401, "INVALID_CREDENTIALS");

        // lookups: admin writes, duplicate names are 409, DELETE only marks invalid
        long priority = fx.call("POST", "/api/v1/priorities", admin, Map.of("name", fx.name("urgent"),
                "color", "#ff0000"), 201).path("data").path("id").asLong();
        assertError(post("/api/v1/priorities", admin, "{\"name\":\"" + fx.name("urgent") + "\"}"), 409,
                "DUPLICATE_NAME");
        assertError(post("/api/v1/priorities", admin, "{\"name\":\"c\",\"color\":\"red\"}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/states", admin, "{\"name\":\"s" + fx.suffix + "\",\"type\":\"weird\"}"), 400,
                "VALIDATION_FAILED");
        assertEquals("waiting", fx.call("POST", "/api/v1/states", admin, Map.of("name", fx.name("waiting"), "type",
                "pending reminder"), 201).path("data").path("name").asText().substring(0, 7));
        assertError(post("/api/v1/priorities", agent, "{\"name\":\"x\"}"), 404, "NOT_FOUND");
        // entries the product relies on cannot be disabled
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/states/1")).DELETE(), admin), 409,
                "PROTECTED");
        assertError(put("/api/v1/priorities/3", admin, "{\"valid\":false}"), 409, "PROTECTED");
        fx.call("DELETE", "/api/v1/priorities/" + priority, admin, null, 200);
        assertError(get("/api/v1/priorities/" + priority, agent), 404, "NOT_FOUND");
        assertEquals(200, get("/api/v1/priorities/" + priority, admin).statusCode());
        assertError(post("/api/v1/tickets", admin, "{\"title\":\"t\",\"queue_id\":1,\"priority_id\":" + priority
                + ",\"article\":{\"body\":\"x\"}}"), 400, "VALIDATION_FAILED");
    }

    @Test
    public void cookieSessionsFollowTheCookiePolicy() throws Exception {
        HttpResponse<String> response = login("/api/v1/auth/login", "admin", adminPassword(), true);
        assertEquals(response.body(), 200, response.statusCode());
        assertFalse("no token in the body with cookies", json(response).path("data").has("token"));
        String setCookie = response.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie, setCookie.startsWith("GOATFLOW_SESSION="));
        assertTrue(setCookie, setCookie.contains("; HttpOnly"));
        assertTrue(setCookie, setCookie.contains("; Secure"));
        assertTrue(setCookie, setCookie.contains("; SameSite=Lax"));
        assertTrue(setCookie, setCookie.contains("; Path=/"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> me = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me"))
                .header("Cookie", cookie).GET(), null);
        assertEquals(me.body(), 200, me.statusCode());
        // a write from another origin riding on the cookie is anonymous
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tickets"))
                .header("Cookie", cookie).header("Origin", "https://evil.test").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")), null);
        assertError(crossSite, 401, "UNAUTHORIZED");
        HttpResponse<String> logout = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/logout"))
                .header("Cookie", cookie).header("Origin", base()).POST(HttpRequest.BodyPublishers.noBody()), null);
        assertEquals(logout.body(), 200, logout.statusCode());
        assertTrue(logout.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"));
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me")).header("Cookie", cookie)
                .GET(), null), 401, "UNAUTHORIZED");
        // a customer cookie does not stand in for an agent cookie
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/users/me")).header("Cookie",
                "GOATFLOW_CUSTOMER_SESSION=" + adminToken()).GET(), null), 401, "UNAUTHORIZED");
    }

    @Test
    public void failedLoginsAreThrottledPerAddressAndLoginWithoutRevealingAccounts() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String login = fx.name("throttle");
        fx.agent(login, Map.of());
        String unknown = fx.name("no-such-agent");
        for (String who : List.of(login, unknown)) {
            for (int i = 1; i <= 4; i++) {
                assertError(login("/api/v1/auth/login", who, "wrong-password", false), 401, "INVALID_CREDENTIALS");
            }
            HttpResponse<String> fifth = login("/api/v1/auth/login", who, "wrong-password", false);
            JsonNode error = assertError(fifth, 429, "TOO_MANY_ATTEMPTS");
            assertEquals("2", fifth.headers().firstValue("Retry-After").orElse(""));
            // even the right password waits now
            assertError(login("/api/v1/auth/login", who, HelpDeskFixture.PASSWORD, false), 429, "TOO_MANY_ATTEMPTS");
            assertFalse(error.toString(), error.toString().contains(who));
        }
        // other logins from the same address are not affected
        assertEquals(200, login("/api/v1/auth/login", "admin", adminPassword(), false).statusCode());
        Thread.sleep(2100);
        HttpResponse<String> sixth = login("/api/v1/auth/login", login, "wrong-password", false);
        assertError(sixth, 429, "TOO_MANY_ATTEMPTS");
        assertEquals("4", sixth.headers().firstValue("Retry-After").orElse(""));
        Thread.sleep(4100);
        assertEquals(200, login("/api/v1/auth/login", login, HelpDeskFixture.PASSWORD, false).statusCode());
        // success clears the counter
        assertError(login("/api/v1/auth/login", login, "wrong-password", false), 401, "INVALID_CREDENTIALS");
    }
}
