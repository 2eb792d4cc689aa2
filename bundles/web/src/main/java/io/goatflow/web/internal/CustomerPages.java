package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;
import static io.goatflow.web.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.servlet.ServletException;

/**
 * The customer portal. The API decides what a customer sees (their own tickets, customer-visible articles), so
 * these pages cannot show more than that by mistake.
 */
final class CustomerPages {

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/customer/?", Route.Area.CUSTOMER, page -> new Result.Redirect("/customer/tickets")),
                Route.of("GET", "/customer/tickets", Route.Area.CUSTOMER, this::tickets),
                Route.of("GET", "/customer/tickets/new", Route.Area.CUSTOMER, page -> page.view("customer/ticket-new",
                        "form", map())),
                Route.of("POST", "/customer/tickets/new", Route.Area.CUSTOMER, this::create),
                Route.of("GET", "/customer/tickets/{id}", Route.Area.CUSTOMER, this::ticket),
                Route.of("POST", "/customer/tickets/{id}/reply", Route.Area.CUSTOMER, this::reply),
                Route.of("GET", "/customer/profile", Route.Area.CUSTOMER, page -> Profile.show(page, "customer")),
                Route.of("POST", "/customer/profile/preferences", Route.Area.CUSTOMER, Profile::preferences),
                Route.of("POST", "/customer/profile/two-factor", Route.Area.CUSTOMER, Profile::twoFactorSetup),
                Route.of("POST", "/customer/profile/two-factor/confirm", Route.Area.CUSTOMER, Profile::twoFactorConfirm),
                Route.of("POST", "/customer/profile/two-factor/disable", Route.Area.CUSTOMER, Profile::twoFactorDisable),
                Route.of("POST", "/customer/profile/two-factor/recovery-codes", Route.Area.CUSTOMER, Profile::recoveryCodes),
                Route.of("POST", "/customer/profile/tokens", Route.Area.CUSTOMER, Profile::createToken),
                Route.of("POST", "/customer/profile/tokens/{id}/revoke", Route.Area.CUSTOMER, Profile::revokeToken),
                Route.of("POST", "/customer/profile/webauthn/{id}/remove", Route.Area.CUSTOMER, Profile::removeKey),
                Route.of("POST", "/customer/profile/password", Route.Area.CUSTOMER,
                        page -> Profile.password(page, "customer")));
    }

    private Result tickets(Page page) {
        String status = page.param("status") == null ? "all" : page.param("status");
        ApiClient.Answer answer = page.api.page(query("/api/v1/tickets", map("status", AgentPages.apiStatus(status), "sort", "updated",
                "order", "desc", "page", page.longParam("page"), "per_page", 25)));
        return page.view("customer/tickets", "tickets", answer.data(), "pagination", answer.pagination(),
                "status", status, "pageBase", ApiClient.queryPrefix("/customer/tickets", map("status", status)));
    }

    private Result ticket(Page page) {
        long id = page.id(1);
        JsonNode ticket = page.api.get("/api/v1/tickets/" + id);
        JsonNode articles = page.api.get("/api/v1/tickets/" + id + "/articles");
        // the API gives customers the customer-visible fields only
        return page.view("customer/ticket", "ticket", ticket, "articles", articles,
                "fields", CustomFieldPages.fields(page, "ticket", id));
    }

    private Result create(Page page) throws IOException, ServletException {
        Map<String, Object> body = map("title", page.param("title"), "article", map("channel", "web",
                "subject", page.param("title"), "body", page.raw("body"), "content_type", "text/plain",
                "attachments", AgentPages.attachments(page)));
        try {
            JsonNode created = page.api.post("/api/v1/tickets", body);
            return new Result.Redirect("/customer/tickets/" + created.path("id").asLong() + "?notice=created");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            return new Result.View("customer/ticket-new", page.model("form", map("title", page.param("title"),
                    "body", page.raw("body")), "error", e.getMessage()), 422);
        }
    }

    private Result reply(Page page) throws IOException, ServletException {
        long id = page.id(1);
        Map<String, Object> article = map("channel", "web", "body", page.raw("body"), "content_type", "text/plain",
                "attachments", AgentPages.attachments(page));
        try {
            page.api.post("/api/v1/tickets/" + id + "/articles", article);
            return new Result.Redirect("/customer/tickets/" + id + "?notice=article_added#articles-end");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500 || e.status == 404) {
                throw e;
            }
            return new Result.View("customer/ticket", page.model("ticket", page.api.get("/api/v1/tickets/" + id),
                    "articles", page.api.get("/api/v1/tickets/" + id + "/articles"),
                    "fields", CustomFieldPages.fields(page, "ticket", id), "error", e.getMessage(),
                    "draft", map("body", page.raw("body"))), 422);
        }
    }
}
