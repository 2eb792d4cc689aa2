package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;
import static io.goatflow.web.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.servlet.ServletException;
import javax.servlet.http.Part;

/** The agent's pages: dashboard, ticket list, zoom, new ticket, customers, search and profile. */
final class AgentPages {
    static final Set<String> SORTS = Set.of("created", "updated", "priority", "title", "ticket_number", "state", "queue", "pending");
    static final List<String> ARTICLE_KINDS = List.of("reply", "note", "forward");

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/agent/dashboard", Route.Area.AGENT, this::dashboard),
                Route.of("GET", "/agent/widgets/{name}/{name}", Route.Area.AGENT, this::widget),
                Route.of("GET", "/agent/tickets", Route.Area.AGENT, this::tickets),
                Route.of("POST", "/agent/tickets/bulk", Route.Area.AGENT, this::bulk),
                Route.of("GET", "/agent/tickets/new", Route.Area.AGENT, this::newTicket),
                Route.of("POST", "/agent/tickets/new", Route.Area.AGENT, this::createTicket),
                Route.of("GET", "/agent/tickets/{id}", Route.Area.AGENT, this::zoom),
                Route.of("POST", "/agent/tickets/{id}/articles", Route.Area.AGENT, this::addArticle),
                Route.of("POST", "/agent/tickets/{id}/update", Route.Area.AGENT, this::updateTicket),
                CustomFieldPages.saveRoute("/agent/tickets/{id}/fields", Route.Area.AGENT, "ticket", p -> p.id(1),
                        p -> "/agent/tickets/" + p.id(1), p -> "fields-heading", this::zoom),
                CustomFieldPages.saveRoute("/agent/tickets/{id}/articles/{id}/fields", Route.Area.AGENT, "article",
                        p -> p.id(2), p -> "/agent/tickets/" + p.id(1), p -> "a" + p.id(2) + "-fields-heading", this::zoom),
                Route.of("GET", "/agent/customers", Route.Area.AGENT, this::customers),
                Route.of("GET", "/agent/customers/{id}", Route.Area.AGENT, this::contact),
                CustomFieldPages.saveRoute("/agent/customers/{id}/fields", Route.Area.ADMIN, "contact", p -> p.id(1),
                        p -> "/agent/customers/" + p.id(1), p -> "fields-heading", this::contact),
                Route.of("GET", "/agent/customers/options", Route.Area.AGENT, this::customerOptions),
                Route.of("GET", "/agent/search", Route.Area.AGENT, this::search),
                Route.of("GET", "/agent/profile", Route.Area.AGENT, page -> Profile.show(page, "agent")),
                CustomFieldPages.saveRoute("/agent/profile/fields", Route.Area.AGENT, "agent", Page::myId,
                        p -> "/agent/profile", p -> "fields-heading", page -> Profile.show(page, "agent")),
                Route.of("POST", "/agent/profile/preferences", Route.Area.AGENT, Profile::preferences),
                Route.of("POST", "/agent/profile/two-factor", Route.Area.AGENT, Profile::twoFactorSetup),
                Route.of("POST", "/agent/profile/two-factor/confirm", Route.Area.AGENT, Profile::twoFactorConfirm),
                Route.of("POST", "/agent/profile/two-factor/disable", Route.Area.AGENT, Profile::twoFactorDisable),
                Route.of("POST", "/agent/profile/two-factor/recovery-codes", Route.Area.AGENT, Profile::recoveryCodes),
                Route.of("POST", "/agent/profile/tokens", Route.Area.AGENT, Profile::createToken),
                Route.of("POST", "/agent/profile/tokens/{id}/revoke", Route.Area.AGENT, Profile::revokeToken),
                Route.of("POST", "/agent/profile/webauthn/{id}/remove", Route.Area.AGENT, Profile::removeKey),
                Route.of("POST", "/agent/profile/password", Route.Area.AGENT, page -> Profile.password(page, "agent")));
    }

    private Result dashboard(Page page) {
        JsonNode mine = page.api.page(query("/api/v1/tickets", map("assigned_user_id", page.myId(),
                "status", "open", "sort", "updated", "order", "desc", "per_page", 10))).data();
        List<Map<String, Object>> queues = new ArrayList<>();
        for (JsonNode queue : page.api.get("/api/v1/queues")) {
            if (queues.size() >= 30) {
                break;
            }
            long open = page.api.page(query("/api/v1/tickets", map("queue_id", queue.path("id").asLong(),
                    "status", "open", "per_page", 1))).pagination().path("total").asLong();
            queues.add(map("id", queue.path("id").asLong(), "name", queue.path("name").asText(), "open", open));
        }
        JsonNode widgets = widgets(page);
        return page.view("agent/dashboard", "mine", mine, "queues", queues, "widgets", widgets);
    }

    private static JsonNode widgets(Page page) {
        try {
            return page.api.get(query("/api/v1/plugins/widgets", map("location", "dashboard", "lang", page.lang.code())));
        } catch (ApiClient.ApiError e) {
            return ApiClient.JSON.createArrayNode(); // the plugin host may be restarting; the dashboard stays up
        }
    }

    /** A widget's content, loaded by HTMX into its card: a bar chart of its numbers. */
    private Result widget(Page page) {
        String plugin = page.group(1);
        String id = page.group(2);
        try {
            JsonNode data = page.api.get("/api/v1/plugins/" + plugin + "/widgets/" + id
                    + "?lang=" + page.lang.code());
            return page.view("agent/widget", "bars", Charts.bars(data), "plugin", plugin, "widget", id);
        } catch (ApiClient.ApiError e) {
            if (e.status == 404) {
                throw e;
            }
            return page.view("agent/widget", "failed", true, "plugin", plugin, "widget", id);
        }
    }

    private Result tickets(Page page) {
        String sort = page.oneOf(SORTS, "sort") ? page.param("sort") : "updated";
        String order = "asc".equals(page.param("order")) ? "asc" : "desc";
        String status = page.param("status") == null ? "open" : page.param("status");
        Map<String, Object> filters = map("queue_id", page.longParam("queue_id"), "state_id", page.longParam("state_id"),
                "priority_id", page.longParam("priority_id"), "assigned_user_id", page.longParam("owner_id"),
                "search", page.param("search"), "status", status, "sort", sort, "order", order,
                "page", page.longParam("page"), "per_page", page.longParam("per_page"),
                "customer_user_id", page.param("customer_user_id"));
        JsonNode fieldDefs = CustomFieldPages.definitions(page, "ticket");
        Map<String, Object> fieldFilters = CustomFieldPages.filterParams(page);
        Map<String, Object> apiFilters = new LinkedHashMap<>(filters);
        apiFilters.put("status", apiStatus(status));
        apiFilters.putAll(fieldFilters);
        Object tickets;
        JsonNode pagination;
        JsonNode filterErrors = null;
        try {
            ApiClient.Answer answer = page.api.page(query("/api/v1/tickets", apiFilters));
            tickets = Page.plain(answer.data());
            pagination = answer.pagination();
        } catch (ApiClient.ApiError e) {
            if (e.status != 400 || fieldFilters.isEmpty()) {
                throw e;
            }
            // a field filter the API refused (a word in a number box): the list stays, the message by the filter
            tickets = List.of();
            pagination = ApiClient.JSON.createObjectNode();
            filterErrors = e.fields.isEmpty() ? ApiClient.JSON.valueToTree(Map.of("", e.getMessage())) : e.fields;
        }
        List<Map<String, Object>> columns = CustomFieldPages.columns(page, fieldDefs);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) tickets;
        CustomFieldPages.addCells(page, columns, rows);
        Map<String, Object> selected = new LinkedHashMap<>(filters);
        selected.put("owner_id", page.longParam("owner_id"));
        selected.putAll(fieldFilters);
        if (page.raw("cols") != null) {
            selected.put("cols", page.raw("cols"));
        }
        return page.view(page.htmx() ? "agent/ticket-rows" : "agent/tickets", "tickets", rows,
                "pagination", pagination, "filters", selected, "lookups", lookups(page),
                "fieldFilters", CustomFieldPages.filterControls(page, fieldDefs, fieldFilters),
                "fieldFiltersActive", !fieldFilters.isEmpty(), "filterErrors", filterErrors,
                "columns", columns, "columnNames", columns.stream().map(c -> c.get("name")).toList(),
                "fieldDefs", fieldDefs,
                "backQuery", ApiClient.query("", without(selected, "cols")).replaceFirst("^\\?", ""),
                "queryBase", ApiClient.queryPrefix("/agent/tickets", without(selected, "page", "sort", "order")),
                "pageBase", ApiClient.queryPrefix("/agent/tickets", without(selected, "page")));
    }

    private static Map<String, Object> without(Map<String, Object> params, String... keys) {
        Map<String, Object> copy = new LinkedHashMap<>(params);
        for (String key : keys) {
            copy.remove(key);
        }
        return copy;
    }

    /** Queues, states, priorities, types and agents for selects. */
    static Map<String, Object> lookups(Page page) {
        return map("queues", Page.plain(page.api.get("/api/v1/queues")),
                "states", Page.plain(page.api.get("/api/v1/states")),
                "priorities", Page.plain(page.api.get("/api/v1/priorities")),
                "types", Page.plain(page.api.get("/api/v1/types")),
                "agents", Page.plain(page.api.page("/api/v1/users?per_page=100").data()));
    }

    /** One change to many tickets: each goes through the API on its own, so RBAC holds per ticket. */
    private Result bulk(Page page) {
        Map<String, Object> changes = new LinkedHashMap<>();
        putIfSet(changes, "owner_id", page.longParam("owner_id"));
        putIfSet(changes, "queue_id", page.longParam("queue_id"));
        putIfSet(changes, "state_id", page.longParam("state_id"));
        putIfSet(changes, "priority_id", page.longParam("priority_id"));
        List<String> ids = page.params("ticket_id");
        if (changes.isEmpty() || ids.isEmpty()) {
            return new Result.Redirect("/agent/tickets?notice=bulk_nothing");
        }
        int done = 0;
        int failed = 0;
        for (String id : ids.subList(0, Math.min(ids.size(), 100))) {
            if (!id.matches("\\d{1,18}")) {
                failed++;
                continue;
            }
            try {
                page.api.put("/api/v1/tickets/" + id, changes);
                done++;
            } catch (ApiClient.ApiError e) {
                failed++;
            }
        }
        return new Result.Redirect("/agent/tickets?notice=" + (failed == 0 ? "bulk_done" : "bulk_partial")
                + "&done=" + done + "&failed=" + failed);
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private Result newTicket(Page page) {
        return page.view("agent/ticket-new", "lookups", lookups(page), "form", map("channel", "phone"));
    }

    private Result createTicket(Page page) throws IOException, ServletException {
        String channel = "email".equals(page.param("channel")) ? "email" : "phone";
        Map<String, Object> article = map("channel", channel, "subject", page.param("title"),
                "body", page.raw("body"), "content_type", "text/plain", "visible_for_customer", true,
                "to", "email".equals(channel) ? page.param("customer_email") : null,
                "attachments", attachments(page));
        Map<String, Object> body = map("title", page.param("title"), "queue_id", page.longParam("queue_id"),
                "priority_id", page.longParam("priority_id"), "state_id", page.longParam("state_id"),
                "type_id", page.longParam("type_id"), "customer_user_id", page.param("customer_user_id"),
                "customer_id", page.param("customer_id"), "article", article);
        try {
            JsonNode created = page.api.post("/api/v1/tickets", body);
            return new Result.Redirect("/agent/tickets/" + created.path("id").asLong() + "?notice=created");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            // Keep what was typed: the form comes back with the API's message.
            Map<String, Object> form = new LinkedHashMap<>(body);
            form.put("channel", channel);
            form.put("body", page.raw("body"));
            form.put("customer_email", page.param("customer_email"));
            return new Result.View("agent/ticket-new", page.model("lookups", lookups(page), "form", form,
                    "error", e.getMessage()), 422);
        }
    }

    private Result zoom(Page page) {
        long id = page.id(1);
        Map<String, Object> model = zoomModel(page, id);
        model.put("kind", page.oneOf(ARTICLE_KINDS, "kind") ? page.param("kind") : "reply");
        return new Result.View("agent/ticket-zoom", page.model(model));
    }

    /** The ticket page's model: the ticket, its articles and history, selects and the custom-field cards. */
    private static Map<String, Object> zoomModel(Page page, long id) {
        JsonNode ticket = page.api.get("/api/v1/tickets/" + id);
        JsonNode articles = page.api.get("/api/v1/tickets/" + id + "/articles");
        List<Long> articleIds = new ArrayList<>();
        articles.forEach(a -> articleIds.add(a.path("id").asLong()));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("ticket", ticket);
        model.put("articles", articles);
        model.put("history", historyOrEmpty(page, id));
        model.put("lookups", lookups(page));
        model.put("kinds", ARTICLE_KINDS);
        model.put("fields", CustomFieldPages.fields(page, "ticket", id));
        model.put("fields_error", CustomFieldPages.fieldsError(page, "ticket", id));
        model.put("articleFields", CustomFieldPages.cards(page, "article", articleIds));
        return model;
    }

    private static JsonNode historyOrEmpty(Page page, long id) {
        try {
            return page.api.get("/api/v1/tickets/" + id + "/history");
        } catch (ApiClient.ApiError e) {
            if (e.status == 404 || e.status == 403) {
                return ApiClient.JSON.createArrayNode();
            }
            throw e;
        }
    }

    private Result addArticle(Page page) throws IOException, ServletException {
        long id = page.id(1);
        String kind = page.oneOf(ARTICLE_KINDS, "kind") ? page.param("kind") : "note";
        boolean note = "note".equals(kind);
        Map<String, Object> article = map("channel", note ? "note" : "email",
                "subject", page.param("subject"), "body", page.raw("body"), "content_type", "text/plain",
                "visible_for_customer", !note || "on".equals(page.param("visible_for_customer")),
                "to", note ? null : page.param("to"), "attachments", attachments(page));
        try {
            page.api.post("/api/v1/tickets/" + id + "/articles", article);
            return new Result.Redirect("/agent/tickets/" + id + "?notice=article_added#articles-end");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500 || e.status == 404) {
                throw e;
            }
            Map<String, Object> model = zoomModel(page, id);
            model.put("kind", kind);
            model.put("error", e.getMessage());
            model.put("draft", map("subject", page.param("subject"), "body", page.raw("body"), "to", page.param("to")));
            return new Result.View("agent/ticket-zoom", page.model(model), 422);
        }
    }

    private Result updateTicket(Page page) {
        long id = page.id(1);
        Map<String, Object> changes = new LinkedHashMap<>();
        putIfSet(changes, "state_id", page.longParam("state_id"));
        putIfSet(changes, "owner_id", page.longParam("owner_id"));
        putIfSet(changes, "priority_id", page.longParam("priority_id"));
        putIfSet(changes, "queue_id", page.longParam("queue_id"));
        if (changes.isEmpty()) {
            return new Result.Redirect("/agent/tickets/" + id);
        }
        try {
            page.api.put("/api/v1/tickets/" + id, changes);
            return new Result.Redirect("/agent/tickets/" + id + "?notice=ticket_updated");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500 || e.status == 404) {
                throw e;
            }
            return new Result.Redirect("/agent/tickets/" + id + "?notice=update_refused");
        }
    }

    private Result customers(Page page) {
        String search = page.param("search");
        JsonNode users = page.api.page(query("/api/v1/customer-users", map("search", search, "per_page", 25))).data();
        JsonNode companies = page.api.page(query("/api/v1/customer-companies",
                map("search", search, "per_page", 25))).data();
        return page.view(page.htmx() ? "agent/customer-results" : "agent/customers", "users", users,
                "companies", companies, "search", search);
    }

    /** A contact (customer user): who they are, their tickets, and their fields (admins edit them). */
    private Result contact(Page page) {
        long id = page.id(1);
        JsonNode contact = page.api.get("/api/v1/customer-users/" + id);
        JsonNode tickets = page.api.page(query("/api/v1/tickets", map("customer_user_id",
                contact.path("login").asText(), "sort", "updated", "order", "desc", "per_page", 10))).data();
        return page.view("agent/customer", "contact", contact, "tickets", tickets,
                "fields", CustomFieldPages.fields(page, "contact", id),
                "fields_error", CustomFieldPages.fieldsError(page, "contact", id),
                "fields_action", page.me.path("admin").asBoolean(false) ? "/agent/customers/" + id + "/fields" : null);
    }

    /** Suggestions for the customer field of the new-ticket form (an HTMX-filled datalist). */
    private Result customerOptions(Page page) {
        String search = page.param("customer_user_id");
        if (search == null) {
            return page.view("agent/customer-options", "users", ApiClient.JSON.createArrayNode());
        }
        return page.view("agent/customer-options", "users", page.api.page(query("/api/v1/customer-users",
                map("search", search, "per_page", 10))).data());
    }

    private Result search(Page page) {
        String q = page.param("q");
        JsonNode results = null;
        JsonNode pagination = null;
        if (q != null) {
            ApiClient.Answer answer = page.api.page(query("/api/v1/search/tickets", map("q", q,
                    "status", apiStatus(page.param("status")), "page", page.longParam("page"), "per_page", 25)));
            results = answer.data();
            pagination = answer.pagination();
        }
        return page.view("agent/search", "q", q, "status", page.param("status"), "results", results,
                "pagination", pagination, "saved", SavedSearches.list(page));
    }

    /** The console's "all" is the API's "no status filter". */
    static String apiStatus(String status) {
        return status == null || "all".equals(status) ? null : status;
    }

    /** Uploaded files of a multipart form, as the API's inline base64 attachments (one transaction there). */
    static List<Map<String, Object>> attachments(Page page) throws IOException, ServletException {
        List<Map<String, Object>> out = new ArrayList<>();
        String type = page.request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            return out;
        }
        for (Part part : page.request.getParts()) {
            if (!"attachment".equals(part.getName()) || part.getSubmittedFileName() == null
                    || part.getSubmittedFileName().isBlank() || part.getSize() == 0) {
                continue;
            }
            try (InputStream in = part.getInputStream()) {
                out.add(map("filename", part.getSubmittedFileName(),
                        "content_type", part.getContentType() == null ? "application/octet-stream" : part.getContentType(),
                        "content_base64", Base64.getEncoder().encodeToString(in.readAllBytes())));
            }
        }
        return out;
    }
}
