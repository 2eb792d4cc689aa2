package io.goatflow.itests;

import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;

/**
 * The route-authorisation matrix: every route the running JAX-RS whiteboard serves, called by every kind of
 * caller. A route nobody classified here fails the test, so a new endpoint cannot ship without deciding who may
 * call it. Denied means 401 for anonymous or bogus credentials and 404 for everyone else (the resource does not
 * exist for them); list routes are also checked for data the caller must not see.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RouteAuthorizationIT extends GoatFlowTestSupport {

    /**
     * The callers. The token callers are personal access tokens: AGENT_READ_TOKEN (tickets:read) and
     * AGENT_WRITE_TOKEN (tickets:write) of AGENT, ADMIN_TOKEN (admin:*) and ADMIN_TICKETS_TOKEN (tickets:write only,
     * so no admin rights) of ADMIN. PENDING_2FA holds only the pending login cookie of an account whose password was
     * right but whose second factor is still to come.
     */
    enum CallerKind { ANONYMOUS, BOGUS, PENDING_2FA, CUSTOMER, OTHER_CUSTOMER, AGENT_NO_RIGHTS, OTHER_ORG_AGENT, AGENT,
        ADMIN, AGENT_READ_TOKEN, AGENT_WRITE_TOKEN, ADMIN_TOKEN, ADMIN_TICKETS_TOKEN }

    /**
     * Who may call a route. TICKET: the sample ticket's customer and agents with rights on its queue. RESTRICTED:
     * agents with rights on the sample queue and in the ticket's organisation only. QUEUE: agents with rights on the
     * sample queue, whatever their organisation (queues are shared). AGENT: every agent (customer routes need rw in
     * users, which the test agents hold). The ticket belongs to organisation A, which the customer (through its
     * company), the agent and the admin belong to; OTHER_ORG_AGENT holds the same rights as AGENT but belongs to
     * organisation B.
     */
    /**
     * (continued) INTERACTIVE: any signed-in session, never an access token (credential routes). OWN_TOKEN: revoking
     * a token of the admin's, so only the admin's session. PENDING: only a pending login (the second step of a
     * login). OTHERS_KEY: removing another account's passkey, which no one may (404, or 401/403 before that).
     */
    enum Access { PUBLIC, AUTHENTICATED, INTERACTIVE, OWN_TOKEN, TICKET, RESTRICTED, QUEUE, AGENT, ADMIN,
        NOT_DECLARED, PENDING, OTHERS_KEY }

    @FunctionalInterface
    interface PathSample {
        String path(World w) throws IOException;
    }

    /** A route: who may call it, a path (may create what it needs), a body, text that must not leak to whom. */
    private record Route(Access access, PathSample sample, String body, String contentType,
            Map<CallerKind, String> mustNotContain) {
        Route(Access access, PathSample sample, String body) {
            this(access, sample, body, "application/json", Map.of());
        }
    }

    /** What the matrix runs against. */
    static final class World {
        HelpDeskFixture fx;
        String adminToken;
        long secretGroup;
        long secretQueue;
        long agentId;
        long plainAgentId;
        long customerId;
        String company;
        long ticket;
        String ticketNumber;
        String titleWord;
        long article;
        long attachment;
        String noteWord;
        Map<CallerKind, String> tokens = new EnumMap<>(CallerKind.class);
        long orgA;
        long agentMembership;
        String tfaLogin;
        long othersKey;

        /** A fresh access token of the admin's (revoked by the route under test); its id. */
        long newAdminToken() throws IOException {
            return fx.call("POST", "/api/v1/tokens", adminToken, Map.of("name", "matrix", "scopes",
                    List.of("tickets:read")), 201).path("data").path("id").asLong();
        }

        long newPlainAgentToken() throws IOException {
            return fx.call("POST", "/api/v1/tokens", tokens.get(CallerKind.AGENT_NO_RIGHTS), Map.of("name", "matrix",
                    "scopes", List.of("tickets:read")), 201).path("data").path("id").asLong();
        }

        long newCustomerToken() throws IOException {
            return fx.call("POST", "/api/v1/tokens", tokens.get(CallerKind.CUSTOMER), Map.of("name", "matrix",
                    "scopes", List.of("tickets:read")), 201).path("data").path("id").asLong();
        }

        long newOrg() throws IOException {
            return fx.call("POST", "/api/v1/organisations", adminToken, Map.of("name", "Matrix Throwaway "
                    + System.nanoTime()), 201).path("data").path("id").asLong();
        }

        long newTicket() throws IOException {
            return fx.call("POST", "/api/v1/tickets", adminToken, Map.of("title", "Throwaway " + fx.suffix,
                    "queue_id", secretQueue, "customer_user_id", "matrix.customer." + fx.suffix, "article",
                    Map.of("channel", "phone", "body", "throwaway")), 201).path("data").path("id").asLong();
        }

        long newArticle() throws IOException {
            return fx.call("POST", "/api/v1/tickets/" + ticket + "/articles", adminToken, Map.of("body", "throwaway"),
                    201).path("data").path("id").asLong();
        }

        long newAgent() throws IOException {
            return fx.agent(fx.name("throwaway") + "-" + System.nanoTime(), Map.of());
        }

        /** A customer-visible ticket field (customers may read those). */
        long newField() throws IOException {
            return fx.call("POST", "/api/v1/custom-fields/definitions", adminToken, Map.of("entity_type", "ticket",
                    "name", "matrix_" + System.nanoTime(), "label", "Matrix", "field_type", "text",
                    "customer_visible", true), 201).path("data").path("id").asLong();
        }

        long newNamed(String kind) throws IOException {
            return fx.call("POST", "/api/v1/" + kind, adminToken, Map.of("name", kind + "-" + System.nanoTime()),
                    201).path("data").path("id").asLong();
        }
    }

    private static final Map<String, Route> ROUTES = new TreeMap<>();

    static {
        route("GET /api/v1/version", new Route(Access.PUBLIC, w -> "/api/v1/version", null));
        route("GET /api/v1/openapi.json", new Route(Access.PUBLIC, w -> "/api/v1/openapi.json", null));

        // plugins: the example plugin "hello" is installed for the matrix
        route("GET /api/v1/plugins", new Route(Access.AGENT, w -> "/api/v1/plugins", null));
        route("GET /api/v1/plugins/{name}", new Route(Access.AGENT, w -> "/api/v1/plugins/hello", null));
        route("GET /api/v1/plugins/{name}/logs", new Route(Access.ADMIN, w -> "/api/v1/plugins/hello/logs", null));
        route("GET /api/v1/plugins/health", new Route(Access.ADMIN, w -> "/api/v1/plugins/health", null));
        route("GET /api/v1/plugins/widgets", new Route(Access.AGENT, w -> "/api/v1/plugins/widgets", null));
        route("GET /api/v1/plugins/{name}/widgets/{id}", new Route(Access.AGENT,
                w -> "/api/v1/plugins/hello/widgets/hello_clock", null));
        route("GET /api/v1/plugins/menu", new Route(Access.AUTHENTICATED, w -> "/api/v1/plugins/menu", null));
        route("GET /api/v1/plugins/cascades", new Route(Access.ADMIN, w -> "/api/v1/plugins/cascades", null));
        route("GET /api/v1/plugins/{name}/health", new Route(Access.ADMIN, w -> "/api/v1/plugins/hello/health", null));
        route("POST /api/v1/plugins/{name}/reset-crashloop", new Route(Access.ADMIN,
                w -> "/api/v1/plugins/hello/reset-crashloop", "{}"));
        route("POST /api/v1/plugins/{name}/call/{function}", new Route(Access.ADMIN,
                w -> "/api/v1/plugins/hello/call/clock", "{}"));
        route("POST /api/v1/plugins/{name}/disable", new Route(Access.ADMIN, w -> "/api/v1/plugins/hello/disable",
                "{}"));
        route("POST /api/v1/plugins/{name}/enable", new Route(Access.ADMIN, w -> "/api/v1/plugins/hello/enable",
                "{}"));
        route("GET /api/plugins/{plugin}/{path}", new Route(Access.AUTHENTICATED,
                w -> "/api/plugins/hello/greeting", null));
        route("POST /api/plugins/{plugin}/{path}", new Route(Access.ADMIN, w -> "/api/plugins/hello/echo", "{}"));
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            route(method + " /api/plugins/{plugin}/{path}", new Route(Access.NOT_DECLARED,
                    w -> "/api/plugins/hello/greeting", method.equals("DELETE") ? null : "{}"));
        }
        route("POST /api/v1/auth/login", new Route(Access.PUBLIC, w -> "/api/v1/auth/login", "{}"));
        route("POST /api/v1/auth/customer/login", new Route(Access.PUBLIC, w -> "/api/v1/auth/customer/login", "{}"));
        route("POST /api/v1/auth/logout", new Route(Access.AUTHENTICATED, w -> "/api/v1/auth/logout", "{}"));

        route("GET /api/v1/admin/sysconfig", new Route(Access.ADMIN, w -> "/api/v1/admin/sysconfig", null));
        route("GET /api/v1/admin/sysconfig/{name}", new Route(Access.ADMIN,
                w -> "/api/v1/admin/sysconfig/SessionMaxTime", null));
        route("PUT /api/v1/admin/sysconfig/{name}", new Route(Access.ADMIN,
                w -> "/api/v1/admin/sysconfig/SessionMaxTime", "{\"value\":57600}"));
        route("DELETE /api/v1/admin/sysconfig/{name}", new Route(Access.ADMIN,
                w -> "/api/v1/admin/sysconfig/SessionMaxTime", null));

        route("GET /api/v1/users/me", new Route(Access.AUTHENTICATED, w -> "/api/v1/users/me", null));
        route("GET /api/v1/users/me/preferences", new Route(Access.AUTHENTICATED,
                w -> "/api/v1/users/me/preferences", null));
        route("PUT /api/v1/users/me/preferences", new Route(Access.AUTHENTICATED,
                w -> "/api/v1/users/me/preferences", "{\"theme\":\"light\"}"));
        route("PUT /api/v1/users/me/password", new Route(Access.INTERACTIVE,
                w -> "/api/v1/users/me/password", "{}"));
        route("GET /api/v1/users/me/saved-searches", new Route(Access.AGENT,
                w -> "/api/v1/users/me/saved-searches", null));
        route("POST /api/v1/users/me/saved-searches", new Route(Access.AGENT,
                w -> "/api/v1/users/me/saved-searches", "{\"name\":\"matrix\",\"query\":\"printer\"}"));
        route("DELETE /api/v1/users/me/saved-searches/{name}", new Route(Access.AGENT,
                w -> "/api/v1/users/me/saved-searches/matrix", null));
        route("GET /api/v1/users", new Route(Access.AGENT, w -> "/api/v1/users", null));
        route("GET /api/v1/users/{id}", new Route(Access.AGENT, w -> "/api/v1/users/" + w.agentId, null));
        route("POST /api/v1/users", new Route(Access.ADMIN, w -> "/api/v1/users", "{}"));
        route("PUT /api/v1/users/{id}", new Route(Access.ADMIN, w -> "/api/v1/users/" + w.plainAgentId,
                "{\"title\":\"Matrix\"}"));
        route("DELETE /api/v1/users/{id}", new Route(Access.ADMIN, w -> "/api/v1/users/" + w.newAgent(), null));
        route("PUT /api/v1/users/{id}/groups", new Route(Access.ADMIN,
                w -> "/api/v1/users/" + w.newAgent() + "/groups", "{}"));
        route("PUT /api/v1/users/{id}/roles", new Route(Access.ADMIN,
                w -> "/api/v1/users/" + w.newAgent() + "/roles", "[]"));
        for (String kind : List.of("groups", "roles")) {
            Access read = kind.equals("groups") ? Access.AGENT : Access.ADMIN;
            route("GET /api/v1/" + kind, new Route(read, w -> "/api/v1/" + kind, null));
            route("GET /api/v1/" + kind + "/{id}", new Route(read, w -> "/api/v1/" + kind + "/" + w.newNamed(kind),
                    null));
            route("POST /api/v1/" + kind, new Route(Access.ADMIN, w -> "/api/v1/" + kind, "{}"));
            route("PUT /api/v1/" + kind + "/{id}", new Route(Access.ADMIN,
                    w -> "/api/v1/" + kind + "/" + w.newNamed(kind), "{\"comments\":\"matrix\"}"));
            route("DELETE /api/v1/" + kind + "/{id}", new Route(Access.ADMIN,
                    w -> "/api/v1/" + kind + "/" + w.newNamed(kind), null));
        }
        route("PUT /api/v1/roles/{id}/groups", new Route(Access.ADMIN,
                w -> "/api/v1/roles/" + w.newNamed("roles") + "/groups", "{}"));

        route("GET /api/v1/customer-companies", new Route(Access.AGENT, w -> "/api/v1/customer-companies", null));
        route("GET /api/v1/customer-companies/{id}", new Route(Access.AGENT,
                w -> "/api/v1/customer-companies/" + w.company, null));
        route("POST /api/v1/customer-companies", new Route(Access.AGENT, w -> "/api/v1/customer-companies", "{}"));
        route("PUT /api/v1/customer-companies/{id}", new Route(Access.AGENT,
                w -> "/api/v1/customer-companies/" + w.company, "{\"comments\":\"matrix\"}"));
        route("DELETE /api/v1/customer-companies/{id}", new Route(Access.AGENT, w -> {
            String id = w.fx.name("gone") + System.nanoTime();
            w.fx.company(id);
            return "/api/v1/customer-companies/" + id;
        }, null));
        route("GET /api/v1/customer-users", new Route(Access.AGENT, w -> "/api/v1/customer-users", null));
        route("GET /api/v1/customer-users/{id}", new Route(Access.AGENT,
                w -> "/api/v1/customer-users/" + w.customerId, null));
        route("POST /api/v1/customer-users", new Route(Access.AGENT, w -> "/api/v1/customer-users", "{}"));
        // a customer of organisation A (through its company) is changed by A's agents and admins only
        route("PUT /api/v1/customer-users/{id}", new Route(Access.RESTRICTED,
                w -> "/api/v1/customer-users/" + w.customerId, "{\"comments\":\"matrix\"}"));
        route("DELETE /api/v1/customer-users/{id}", new Route(Access.RESTRICTED,
                w -> "/api/v1/customer-users/" + w.fx.customer(w.fx.name("gone") + System.nanoTime(), w.company),
                null));

        route("GET /api/v1/queues", new Route(Access.AGENT, w -> "/api/v1/queues", null, "application/json",
                Map.of(CallerKind.AGENT_NO_RIGHTS, "Matrix Secret")));
        route("GET /api/v1/queues/{id}", new Route(Access.QUEUE, w -> "/api/v1/queues/" + w.secretQueue, null));
        route("POST /api/v1/queues", new Route(Access.ADMIN, w -> "/api/v1/queues", "{}"));
        route("PUT /api/v1/queues/{id}", new Route(Access.ADMIN, w -> "/api/v1/queues/" + w.secretQueue,
                "{\"comments\":\"matrix\"}"));
        route("DELETE /api/v1/queues/{id}", new Route(Access.ADMIN, w -> "/api/v1/queues/" + w.fx.queue(
                w.fx.name("gone") + System.nanoTime(), w.secretGroup), null));
        for (String kind : List.of("states", "priorities", "types")) {
            route("GET /api/v1/" + kind, new Route(Access.AUTHENTICATED, w -> "/api/v1/" + kind, null));
            route("GET /api/v1/" + kind + "/{id}", new Route(Access.AUTHENTICATED, w -> "/api/v1/" + kind + "/1",
                    null));
            route("POST /api/v1/" + kind, new Route(Access.ADMIN, w -> "/api/v1/" + kind, "{}"));
            route("PUT /api/v1/" + kind + "/{id}", new Route(Access.ADMIN, w -> "/api/v1/" + kind + "/1", "{}"));
            route("DELETE /api/v1/" + kind + "/{id}", new Route(Access.ADMIN, w -> {
                String body = kind.equals("states") ? "{\"name\":\"gone-" + System.nanoTime() + "\",\"type\":\"open\"}"
                        : "{\"name\":\"gone-" + System.nanoTime() + "\"}";
                return "/api/v1/" + kind + "/" + w.fx.call("POST", "/api/v1/" + kind, w.adminToken, body, 201)
                        .path("data").path("id").asLong();
            }, null));
        }

        Map<CallerKind, String> ticketLeak = Map.of(CallerKind.OTHER_CUSTOMER, "TICKET_NUMBER",
                CallerKind.AGENT_NO_RIGHTS, "TICKET_NUMBER", CallerKind.OTHER_ORG_AGENT, "TICKET_NUMBER");
        route("GET /api/v1/tickets", new Route(Access.AUTHENTICATED, w -> "/api/v1/tickets?per_page=100", null,
                "application/json", ticketLeak));
        route("GET /api/v1/search/tickets", new Route(Access.AUTHENTICATED,
                w -> "/api/v1/search/tickets?q=" + w.titleWord, null, "application/json", ticketLeak));
        route("POST /api/v1/tickets", new Route(Access.AUTHENTICATED, w -> "/api/v1/tickets", "{}"));
        route("GET /api/v1/tickets/{id}", new Route(Access.TICKET, w -> "/api/v1/tickets/" + w.ticket, null));
        route("PUT /api/v1/tickets/{id}", new Route(Access.RESTRICTED, w -> "/api/v1/tickets/" + w.ticket, "{}"));
        route("DELETE /api/v1/tickets/{id}", new Route(Access.RESTRICTED, w -> "/api/v1/tickets/" + w.newTicket(),
                null));
        route("POST /api/v1/tickets/{id}/reopen", new Route(Access.RESTRICTED,
                w -> "/api/v1/tickets/" + w.ticket + "/reopen", "{}"));
        route("GET /api/v1/tickets/{id}/history", new Route(Access.RESTRICTED,
                w -> "/api/v1/tickets/" + w.ticket + "/history", null));
        for (String method : List.of("GET", "PUT", "DELETE")) {
            route(method + " /api/v1/tickets/{id}/presence", new Route(Access.RESTRICTED,
                    w -> "/api/v1/tickets/" + w.ticket + "/presence", method.equals("PUT") ? "{}" : null));
        }
        route("GET /api/v1/tickets/{id}/articles", new Route(Access.TICKET,
                w -> "/api/v1/tickets/" + w.ticket + "/articles", null, "application/json",
                Map.of(CallerKind.CUSTOMER, "NOTE_WORD")));
        route("POST /api/v1/tickets/{id}/articles", new Route(Access.TICKET,
                w -> "/api/v1/tickets/" + w.ticket + "/articles", "{\"body\":\"matrix follow-up\"}"));
        route("GET /api/v1/tickets/{id}/articles/{articleId}", new Route(Access.TICKET,
                w -> "/api/v1/tickets/" + w.ticket + "/articles/" + w.article, null));
        route("PUT /api/v1/tickets/{id}/articles/{articleId}", new Route(Access.RESTRICTED,
                w -> "/api/v1/tickets/" + w.ticket + "/articles/" + w.article, "{}"));
        route("DELETE /api/v1/tickets/{id}/articles/{articleId}", new Route(Access.RESTRICTED,
                w -> "/api/v1/tickets/" + w.ticket + "/articles/" + w.newArticle(), null));
        route("GET /api/v1/tickets/{id}/articles/{articleId}/attachments", new Route(Access.TICKET,
                w -> "/api/v1/tickets/" + w.ticket + "/articles/" + w.article + "/attachments", null));
        route("POST /api/v1/tickets/{id}/articles/{articleId}/attachments", new Route(Access.RESTRICTED,
                w -> "/api/v1/tickets/" + w.ticket + "/articles/" + w.article + "/attachments?filename=m.txt",
                "matrix file", "text/plain", Map.of()));
        route("GET /api/v1/tickets/{id}/articles/{articleId}/attachments/{attachmentId}", new Route(Access.TICKET,
                w -> "/api/v1/tickets/" + w.ticket + "/articles/" + w.article + "/attachments/" + w.attachment,
                null));
    }

    static {
        String definitions = "/api/v1/custom-fields/definitions";
        route("GET " + definitions, new Route(Access.AUTHENTICATED, w -> definitions, null));
        route("GET " + definitions + "/{id}", new Route(Access.AUTHENTICATED, w -> definitions + "/" + w.newField(),
                null));
        route("POST " + definitions, new Route(Access.ADMIN, w -> definitions, "{}"));
        route("PUT " + definitions + "/{id}", new Route(Access.ADMIN, w -> definitions + "/" + w.newField(),
                "{\"label\":\"Matrix 2\"}"));
        route("DELETE " + definitions + "/{id}", new Route(Access.ADMIN, w -> definitions + "/" + w.newField(), null));
        route("GET /api/v1/custom-fields/values/{entity_type}/{id}", new Route(Access.TICKET,
                w -> "/api/v1/custom-fields/values/ticket/" + w.ticket, null));
        // a page of objects: everyone may ask; objects they may not see are left out of the answer
        Map<CallerKind, String> valuesLeak = Map.of(CallerKind.OTHER_CUSTOMER, "\"object_id\"",
                CallerKind.AGENT_NO_RIGHTS, "\"object_id\"", CallerKind.OTHER_ORG_AGENT, "\"object_id\"");
        route("GET /api/v1/custom-fields/values/{entity_type}", new Route(Access.AUTHENTICATED,
                w -> "/api/v1/custom-fields/values/ticket?ids=" + w.ticket, null, "application/json", valuesLeak));
        route("PUT /api/v1/custom-fields/values/{entity_type}/{id}", new Route(Access.RESTRICTED,
                w -> "/api/v1/custom-fields/values/ticket/" + w.ticket, "{\"values\":{}}"));
        route("POST /api/v1/custom-fields/query", new Route(Access.AGENT, w -> "/api/v1/custom-fields/query",
                "{\"entity_type\":\"ticket\",\"filters\":[]}"));
    }

    static {
        // organisations: the switcher for everyone signed in, the administration for admins
        route("GET /api/v1/session/orgs", new Route(Access.AUTHENTICATED, w -> "/api/v1/session/orgs", null,
                "application/json", Map.of(CallerKind.OTHER_ORG_AGENT, "Matrix Org A",
                        CallerKind.AGENT_NO_RIGHTS, "Matrix Org")));
        route("POST /api/v1/session/org", new Route(Access.AUTHENTICATED, w -> "/api/v1/session/org", "{}"));
        String orgs = "/api/v1/organisations";
        route("GET " + orgs, new Route(Access.ADMIN, w -> orgs, null));
        route("POST " + orgs, new Route(Access.ADMIN, w -> orgs, "{}"));
        route("GET " + orgs + "/{id}", new Route(Access.ADMIN, w -> orgs + "/" + w.orgA, null));
        route("PUT " + orgs + "/{id}", new Route(Access.ADMIN, w -> orgs + "/" + w.orgA, "{}"));
        route("DELETE " + orgs + "/{id}", new Route(Access.ADMIN, w -> orgs + "/" + w.newOrg(), null));
        route("GET " + orgs + "/{id}/members", new Route(Access.ADMIN, w -> orgs + "/" + w.orgA + "/members", null));
        route("POST " + orgs + "/{id}/members", new Route(Access.ADMIN, w -> orgs + "/" + w.orgA + "/members", "{}"));
        route("PUT " + orgs + "/{id}/members/{member_id}", new Route(Access.ADMIN,
                w -> orgs + "/" + w.orgA + "/members/" + w.agentMembership, "{\"role\":\"member\"}"));
        route("DELETE " + orgs + "/{id}/members/{member_id}", new Route(Access.ADMIN, w -> {
            long org = w.newOrg();
            long id = w.fx.call("POST", orgs + "/" + org + "/members", w.adminToken, Map.of("user_id", w.plainAgentId),
                    201).path("data").path("id").asLong();
            return orgs + "/" + org + "/members/" + id;
        }, null));
        route("GET " + orgs + "/{id}/plugin-access", new Route(Access.ADMIN,
                w -> orgs + "/" + w.orgA + "/plugin-access", null));
        route("POST " + orgs + "/{id}/plugin-access", new Route(Access.ADMIN,
                w -> orgs + "/" + w.orgA + "/plugin-access", "{}"));
        route("DELETE " + orgs + "/{id}/plugin-access/{plugin}", new Route(Access.ADMIN, w -> {
            long org = w.newOrg();
            w.fx.call("POST", orgs + "/" + org + "/plugin-access", w.adminToken, Map.of("plugin", "hello"), 201);
            return orgs + "/" + org + "/plugin-access/hello";
        }, null));
        route("GET " + orgs + "/{id}/config", new Route(Access.ADMIN, w -> orgs + "/" + w.orgA + "/config", null));
        route("GET " + orgs + "/{id}/config/{name}", new Route(Access.ADMIN,
                w -> orgs + "/" + w.orgA + "/config/SessionMaxTime", null));
        route("PUT " + orgs + "/{id}/config/{name}", new Route(Access.ADMIN,
                w -> orgs + "/" + w.orgA + "/config/SessionMaxTime", "{\"value\":57600}"));
        route("DELETE " + orgs + "/{id}/config/{name}", new Route(Access.ADMIN,
                w -> orgs + "/" + w.orgA + "/config/SessionMaxTime", null));

        // settings cascade and secure settings
        route("GET /api/v1/sysconfig/{name}/resolution", new Route(Access.ADMIN,
                w -> "/api/v1/sysconfig/SessionMaxTime/resolution", null));
        route("GET /api/v1/users/me/settings", new Route(Access.AGENT, w -> "/api/v1/users/me/settings", null));
        route("PUT /api/v1/users/me/settings/{name}", new Route(Access.AGENT,
                w -> "/api/v1/users/me/settings/SessionMaxTime", "{\"value\":57600}"));
        route("DELETE /api/v1/users/me/settings/{name}", new Route(Access.AGENT,
                w -> "/api/v1/users/me/settings/SessionMaxTime", null));
        String secure = "/api/v1/secure-config";
        route("GET " + secure, new Route(Access.ADMIN, w -> secure, null, "application/json",
                Map.of(CallerKind.ADMIN, "matrix-secret-value")));
        route("PUT " + secure + "/{namespace}/{name}", new Route(Access.ADMIN, w -> secure + "/core/matrix.key",
                "{\"value\":\"matrix-secret-value\"}", "application/json",
                Map.of(CallerKind.ADMIN, "matrix-secret-value")));
        route("DELETE " + secure + "/{namespace}/{name}", new Route(Access.ADMIN, w -> {
            w.fx.call("PUT", secure + "/core/matrix.gone", w.adminToken, Map.of("value", "to be deleted"), 200);
            return secure + "/core/matrix.gone";
        }, null));
        route("POST " + secure + "/rotate", new Route(Access.ADMIN, w -> secure + "/rotate", "{}"));

        // strong authentication: second factors, access tokens, audit log
        route("POST /api/v1/auth/2fa/verify", new Route(Access.PUBLIC, w -> "/api/v1/auth/2fa/verify", "{}"));
        String tfa = "/api/v1/users/me/two-factor";
        route("GET " + tfa, new Route(Access.AUTHENTICATED, w -> tfa, null));
        route("POST " + tfa + "/totp", new Route(Access.INTERACTIVE, w -> tfa + "/totp", "{}"));
        route("POST " + tfa + "/totp/confirm", new Route(Access.INTERACTIVE, w -> tfa + "/totp/confirm", "{}"));
        route("POST " + tfa + "/totp/disable", new Route(Access.INTERACTIVE, w -> tfa + "/totp/disable", "{}"));
        route("POST " + tfa + "/recovery-codes", new Route(Access.INTERACTIVE, w -> tfa + "/recovery-codes", "{}"));
        route("DELETE /api/v1/users/{id}/two-factor", new Route(Access.ADMIN,
                w -> "/api/v1/users/" + w.newAgent() + "/two-factor", null));
        route("DELETE /api/v1/customer-users/{id}/two-factor", new Route(Access.ADMIN,
                w -> "/api/v1/customer-users/" + w.customerId + "/two-factor", null));
        route("GET /api/v1/audit-log", new Route(Access.ADMIN, w -> "/api/v1/audit-log", null));
        route("GET /api/v1/tokens", new Route(Access.AUTHENTICATED, w -> "/api/v1/tokens", null));
        route("GET /api/v1/tokens/scopes", new Route(Access.AUTHENTICATED, w -> "/api/v1/tokens/scopes", null));
        route("POST /api/v1/tokens", new Route(Access.INTERACTIVE, w -> "/api/v1/tokens", "{}"));
        route("DELETE /api/v1/tokens/{id}", new Route(Access.OWN_TOKEN,
                w -> "/api/v1/tokens/" + w.newAdminToken(), null));
        route("GET /api/v1/users/{id}/tokens", new Route(Access.ADMIN, w -> "/api/v1/users/" + w.agentId + "/tokens",
                null));
        route("DELETE /api/v1/users/{id}/tokens/{tokenId}", new Route(Access.ADMIN,
                w -> "/api/v1/users/" + w.plainAgentId + "/tokens/" + w.newPlainAgentToken(), null));
        route("GET /api/v1/customer-users/{id}/tokens", new Route(Access.ADMIN,
                w -> "/api/v1/customer-users/" + w.customerId + "/tokens", null));
        route("DELETE /api/v1/customer-users/{id}/tokens/{tokenId}", new Route(Access.ADMIN,
                w -> "/api/v1/customer-users/" + w.customerId + "/tokens/" + w.newCustomerToken(), null));

        // passkeys and security keys
        route("POST /api/v1/auth/passkey/begin", new Route(Access.PUBLIC, w -> "/api/v1/auth/passkey/begin", "{}"));
        route("POST /api/v1/auth/passkey/finish", new Route(Access.PUBLIC, w -> "/api/v1/auth/passkey/finish", "{}"));
        route("POST /api/v1/auth/2fa/webauthn/begin", new Route(Access.PENDING,
                w -> "/api/v1/auth/2fa/webauthn/begin", "{}"));
        route("POST /api/v1/auth/2fa/webauthn/finish", new Route(Access.PUBLIC,
                w -> "/api/v1/auth/2fa/webauthn/finish", "{}"));
        String keys = "/api/v1/users/me/webauthn";
        route("GET " + keys, new Route(Access.AUTHENTICATED, w -> keys, null));
        route("POST " + keys + "/register/begin", new Route(Access.INTERACTIVE, w -> keys + "/register/begin", "{}"));
        route("POST " + keys + "/register/finish", new Route(Access.INTERACTIVE, w -> keys + "/register/finish",
                "{}"));
        route("DELETE " + keys + "/{id}", new Route(Access.OTHERS_KEY, w -> keys + "/" + w.othersKey, null));
    }

    private static void route(String key, Route route) {
        if (ROUTES.put(key, route) != null) {
            throw new IllegalStateException("classified twice: " + key);
        }
    }

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
        World w = world();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Route> entry : ROUTES.entrySet()) {
            String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
            Route route = entry.getValue();
            for (CallerKind caller : CallerKind.values()) {
                String path = route.sample().path(w);
                HttpResponse<String> response = call(method, path, route, w.tokens.get(caller));
                Expect expect = expect(route.access(), caller, method);
                check(failures, entry.getKey(), caller, response, expect);
                String secret = route.mustNotContain().get(caller);
                if (secret != null && response != null) {
                    String text = secret.equals("TICKET_NUMBER") ? w.ticketNumber
                            : secret.equals("NOTE_WORD") ? w.noteWord : secret;
                    if (response.body().contains(text)) {
                        failures.add(entry.getKey() + " as " + caller + ": leaked '" + text + "': " + response.body());
                    }
                }
                if (entry.getKey().equals("POST /api/v1/auth/logout") && response != null
                        && response.statusCode() == 200) {
                    w.tokens.put(caller, login(w, caller));
                }
            }
        }
        // on PostgreSQL later test classes share the database and the admin: it leaves organisation A again
        for (JsonNode m : w.fx.call("GET", "/api/v1/organisations/" + w.orgA + "/members", w.adminToken, null, 200)
                .path("data")) {
            if (!m.path("login").asText().startsWith("matrix")) {
                w.fx.call("DELETE", "/api/v1/organisations/" + w.orgA + "/members/" + m.path("id").asLong(),
                        w.adminToken, null, 204);
            }
        }
        assertTrue(failures.size() + " failures:\n" + String.join("\n", failures), failures.isEmpty());
    }

    enum Expect { ALLOWED, UNAUTHORIZED, HIDDEN, FORBIDDEN }

    private static final java.util.Set<CallerKind> TOKEN_CALLERS = java.util.EnumSet.of(CallerKind.AGENT_READ_TOKEN,
            CallerKind.AGENT_WRITE_TOKEN, CallerKind.ADMIN_TOKEN, CallerKind.ADMIN_TICKETS_TOKEN);

    private static Expect expect(Access access, CallerKind caller, String method) {
        if (TOKEN_CALLERS.contains(caller)) {
            boolean safe = method.equals("GET") || method.equals("HEAD");
            if (caller == CallerKind.AGENT_READ_TOKEN && !safe) {
                return Expect.FORBIDDEN; // INSUFFICIENT_SCOPE, before any route is looked at
            }
            if (access == Access.INTERACTIVE || access == Access.OWN_TOKEN || access == Access.OTHERS_KEY) {
                return Expect.FORBIDDEN; // INTERACTIVE_SESSION_REQUIRED
            }
            // otherwise a token has its owner's rights; without admin:* an admin's token has no admin rights
            return expect(access, caller == CallerKind.ADMIN_TOKEN ? CallerKind.ADMIN : CallerKind.AGENT, method);
        }
        if (access == Access.PUBLIC) {
            return Expect.ALLOWED;
        }
        if (access == Access.NOT_DECLARED) {
            // a method the plugin declares no route for does not exist, for anyone
            return Expect.HIDDEN;
        }
        if (access == Access.PENDING) {
            // the pending login's account has TOTP but no key: 409 NO_SECURITY_KEY; everyone else has no pending login
            return caller == CallerKind.PENDING_2FA ? Expect.ALLOWED : Expect.UNAUTHORIZED;
        }
        if (caller == CallerKind.ANONYMOUS || caller == CallerKind.BOGUS || caller == CallerKind.PENDING_2FA) {
            return Expect.UNAUTHORIZED;
        }
        boolean allowed = switch (access) {
            case AUTHENTICATED, INTERACTIVE -> true;
            case OWN_TOKEN -> caller == CallerKind.ADMIN;
            case TICKET -> caller == CallerKind.CUSTOMER || caller == CallerKind.AGENT || caller == CallerKind.ADMIN;
            case RESTRICTED -> caller == CallerKind.AGENT || caller == CallerKind.ADMIN;
            case QUEUE -> caller == CallerKind.AGENT || caller == CallerKind.OTHER_ORG_AGENT
                    || caller == CallerKind.ADMIN;
            case AGENT -> caller == CallerKind.AGENT || caller == CallerKind.AGENT_NO_RIGHTS
                    || caller == CallerKind.OTHER_ORG_AGENT || caller == CallerKind.ADMIN;
            case ADMIN -> caller == CallerKind.ADMIN;
            default -> false;
        };
        return allowed ? Expect.ALLOWED : Expect.HIDDEN;
    }

    private static void check(List<String> failures, String route, CallerKind caller, HttpResponse<String> r,
            Expect expect) {
        int status = r == null ? -1 : r.statusCode();
        boolean ok = switch (expect) {
            case UNAUTHORIZED -> status == 401;
            case HIDDEN -> status == 404;
            case FORBIDDEN -> status == 403;
            case ALLOWED -> status >= 200 && status < 500 && status != 401 && status != 403 && status != 404;
        };
        if (!ok) {
            failures.add(route + " as " + caller + ": expected " + expect + ", got " + status + " "
                    + (r == null ? "" : r.body()));
        }
    }

    private HttpResponse<String> call(String method, String path, Route route, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
        if (route.body() != null) {
            request.header("Content-Type", route.contentType())
                    .method(method, HttpRequest.BodyPublishers.ofString(route.body()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (token != null && token.startsWith(PENDING_COOKIE)) {
            // the pending login rides in its HttpOnly cookie, as a browser sends it
            return send(request.header("Cookie", token), null);
        }
        return send(request, token);
    }

    private static final String PENDING_COOKIE = "GOATFLOW_PENDING_LOGIN=";

    /** Two companies with a customer each, a secret queue, agents with and without rights on it, a ticket. */
    private World world() throws Exception {
        World w = new World();
        w.adminToken = adminToken();
        w.fx = new HelpDeskFixture(http, base(), w.adminToken);
        HelpDeskFixture fx = w.fx;
        long users = fx.groupId("users");
        w.secretGroup = fx.group(fx.name("matrix-secret"));
        w.secretQueue = fx.queue("Matrix Secret " + fx.suffix, w.secretGroup);
        w.agentId = fx.agent(fx.name("matrix.agent"), Map.of(w.secretGroup, new String[] {"rw"},
                users, new String[] {"rw"}));
        w.plainAgentId = fx.agent(fx.name("matrix.plain"), Map.of(users, new String[] {"rw"}));
        // the admin reaches the secret queue through a role, which exercises role permissions too
        long role = fx.call("POST", "/api/v1/roles", w.adminToken, Map.of("name", fx.name("matrix-role")), 201)
                .path("data").path("id").asLong();
        fx.call("PUT", "/api/v1/roles/" + role + "/groups", w.adminToken,
                Map.of(String.valueOf(w.secretGroup), List.of("rw")), 200);
        long adminId = fx.call("GET", "/api/v1/users/me", w.adminToken, null, 200).path("data").path("id").asLong();
        fx.call("PUT", "/api/v1/users/" + adminId + "/roles", w.adminToken, List.of(role), 200);
        w.company = fx.name("matrix-c1");
        fx.company(w.company);
        fx.company(fx.name("matrix-c2"));
        w.customerId = fx.customer("matrix.customer." + fx.suffix, w.company);
        fx.customer("matrix.other." + fx.suffix, fx.name("matrix-c2"));
        // two organisations: A holds the ticket (its customer belongs through the company), B an agent with the
        // same rights as the sample agent
        long otherOrgAgent = fx.agent(fx.name("matrix.otherorg"), Map.of(w.secretGroup, new String[] {"rw"},
                users, new String[] {"rw"}));
        w.orgA = fx.call("POST", "/api/v1/organisations", w.adminToken, Map.of("name", "Matrix Org A " + fx.suffix,
                "customer_company_id", w.company), 201).path("data").path("id").asLong();
        long orgB = fx.call("POST", "/api/v1/organisations", w.adminToken, Map.of("name", "Matrix Org B "
                + fx.suffix), 201).path("data").path("id").asLong();
        w.agentMembership = fx.call("POST", "/api/v1/organisations/" + w.orgA + "/members", w.adminToken,
                Map.of("user_id", w.agentId), 201).path("data").path("id").asLong();
        fx.call("POST", "/api/v1/organisations/" + w.orgA + "/members", w.adminToken, Map.of("user_id", adminId), 201);
        fx.call("POST", "/api/v1/organisations/" + orgB + "/members", w.adminToken, Map.of("user_id",
                otherOrgAgent), 201);

        w.titleWord = "zebra" + fx.suffix.replaceAll("[^a-z0-9]", "");
        w.noteWord = "internalsecret" + fx.suffix.replaceAll("[^a-z0-9]", "");
        Map<String, Object> article = new LinkedHashMap<>();
        article.put("channel", "email");
        article.put("body", "Customer-visible text");
        article.put("attachments", List.of(Map.of("filename", "matrix.txt", "content_base64", "bWF0cml4")));
        JsonNode ticket = fx.call("POST", "/api/v1/tickets", w.adminToken, Map.of("title", "Matrix " + w.titleWord,
                "queue_id", w.secretQueue, "customer_user_id", "matrix.customer." + fx.suffix, "article", article),
                201).path("data");
        w.ticket = ticket.path("id").asLong();
        w.ticketNumber = ticket.path("ticket_number").asText();
        JsonNode first = fx.call("GET", "/api/v1/tickets/" + w.ticket + "/articles", w.adminToken, null, 200)
                .path("data").get(0);
        w.article = first.path("id").asLong();
        w.attachment = first.path("attachments").get(0).path("id").asLong();
        fx.call("POST", "/api/v1/tickets/" + w.ticket + "/articles", w.adminToken, Map.of("channel", "note",
                "body", "Do not tell the customer: " + w.noteWord), 201);
        // an agent with TOTP on, for the pending login of PENDING_2FA
        String tfaLogin = fx.name("matrix.tfa");
        fx.agent(tfaLogin, Map.of(w.secretGroup, new String[] {"rw"}, users, new String[] {"rw"}));
        String tfaToken = fx.agentToken(tfaLogin);
        String secret = fx.call("POST", "/api/v1/users/me/two-factor/totp", tfaToken, "{}", 200).path("data")
                .path("secret").asText();
        fx.call("POST", "/api/v1/users/me/two-factor/totp/confirm", tfaToken,
                Map.of("code", Oath.totp(secret, java.time.Instant.now())), 200);
        w.tfaLogin = tfaLogin;
        // a passkey of an agent who is none of the callers
        String keyOwnerLogin = fx.name("matrix.keys");
        fx.agent(keyOwnerLogin, Map.of());
        String keyOwner = fx.agentToken(keyOwnerLogin);
        JsonNode begun = fx.call("POST", "/api/v1/users/me/webauthn/register/begin", keyOwner,
                Map.of("current_password", HelpDeskFixture.PASSWORD), 200)
                .path("data");
        SoftAuthenticator authenticator = new SoftAuthenticator("http://localhost:"
                + System.getProperty(PORT_PROPERTY));
        w.othersKey = fx.call("POST", "/api/v1/users/me/webauthn/register/finish", keyOwner, Map.of("ceremony",
                begun.path("ceremony").asText(), "credential", JSON.readTree(authenticator.create(
                        begun.path("public_key")))), 200).path("data").path("id").asLong();
        for (CallerKind caller : CallerKind.values()) {
            w.tokens.put(caller, login(w, caller));
        }
        installExamplePlugin();
        return w;
    }

    private void installExamplePlugin() throws IOException {
        try {
            org.osgi.framework.Bundle b = bundleContext.installBundle("mvn:io.goatflow/io.goatflow.plugins.example/"
                    + System.getProperty("project.version"));
            b.start();
            for (int i = 0; i < 100 && statusOf(get("/api/plugins/hello/greeting", adminToken())) != 200; i++) {
                Thread.sleep(100);
            }
        } catch (org.osgi.framework.BundleException | InterruptedException e) {
            throw new IOException("the example plugin did not start", e);
        }
    }

    private String login(World w, CallerKind caller) throws IOException {
        return switch (caller) {
            case ANONYMOUS -> null;
            case BOGUS -> "bogus-token-0123456789";
            case CUSTOMER -> w.fx.customerToken("matrix.customer." + w.fx.suffix);
            case OTHER_CUSTOMER -> w.fx.customerToken("matrix.other." + w.fx.suffix);
            case AGENT_NO_RIGHTS -> w.fx.agentToken(w.fx.name("matrix.plain"));
            case OTHER_ORG_AGENT -> w.fx.agentToken(w.fx.name("matrix.otherorg"));
            case AGENT -> w.fx.agentToken(w.fx.name("matrix.agent"));
            case ADMIN -> adminToken();
            case PENDING_2FA -> pendingLogin(w.tfaLogin);
            case AGENT_READ_TOKEN -> accessToken(w, w.fx.agentToken(w.fx.name("matrix.agent")), "tickets:read");
            case AGENT_WRITE_TOKEN -> accessToken(w, w.fx.agentToken(w.fx.name("matrix.agent")), "tickets:write");
            case ADMIN_TOKEN -> accessToken(w, adminToken(), "admin:*");
            case ADMIN_TICKETS_TOKEN -> accessToken(w, adminToken(), "tickets:write");
        };
    }

    private static String accessToken(World w, String session, String scope) throws IOException {
        return w.fx.call("POST", "/api/v1/tokens", session, Map.of("name", "matrix " + scope, "scopes",
                List.of(scope)), 201).path("data").path("token").asText();
    }

    /** The pending login cookie ({@code name=value}) of a password step whose second factor never comes. */
    private String pendingLogin(String login) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("login", login, "password", HelpDeskFixture.PASSWORD,
                                "cookie", true)))), null);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        if (!cookie.startsWith(PENDING_COOKIE)) {
            throw new AssertionError("no pending login: " + response.body());
        }
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private TreeSet<String> servedRoutes() {
        return ServedRoutes.of(runtime);
    }
}
