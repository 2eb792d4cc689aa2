package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Administration of organisations: the list with a create form, and one organisation's page (its details, members,
 * plugin access, setting overrides and custom fields). Everything goes through {@code /api/v1/organisations}.
 */
final class OrganisationPages {

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/admin/organisations", Route.Area.ADMIN, page -> list(page, null, null)),
                Route.of("POST", "/admin/organisations", Route.Area.ADMIN, this::create),
                Route.of("GET", "/admin/organisations/{id}", Route.Area.ADMIN, page -> detail(page, null, 200)),
                Route.of("POST", "/admin/organisations/{id}", Route.Area.ADMIN, this::update),
                Route.of("POST", "/admin/organisations/{id}/delete", Route.Area.ADMIN, this::delete),
                Route.of("POST", "/admin/organisations/{id}/members", Route.Area.ADMIN, this::addMember),
                Route.of("POST", "/admin/organisations/{id}/members/{id}/delete", Route.Area.ADMIN,
                        page -> change(page, "DELETE", "/members/" + page.id(2), null, "member_removed")),
                Route.of("POST", "/admin/organisations/{id}/plugin-access", Route.Area.ADMIN,
                        page -> change(page, "POST", "/plugin-access", map("plugin", page.param("plugin"),
                                "group_id", page.longParam("group_id")), "saved")),
                Route.of("POST", "/admin/organisations/{id}/plugin-access/{name}/delete", Route.Area.ADMIN,
                        page -> change(page, "DELETE", "/plugin-access/" + page.group(2), null, "saved")),
                Route.of("POST", "/admin/organisations/{id}/config", Route.Area.ADMIN, this::setConfig),
                // setting names hold "::", so the name travels in the form rather than the path
                Route.of("POST", "/admin/organisations/{id}/config/reset", Route.Area.ADMIN,
                        page -> change(page, "DELETE", "/config/" + encode(page.param("name")), null, "saved")),
                CustomFieldPages.saveRoute("/admin/organisations/{id}/fields", Route.Area.ADMIN, "organisation",
                        p -> p.id(1), p -> "/admin/organisations/" + p.id(1), p -> "fields-heading",
                        page -> detail(page, null, 200)));
    }

    private Result list(Page page, String error, Map<String, Object> form) {
        String search = page.param("search");
        ApiClient.Answer orgs = page.api.page("/api/v1/organisations?per_page=100"
                + (search == null ? "" : "&search=" + java.net.URLEncoder.encode(search,
                        java.nio.charset.StandardCharsets.UTF_8)));
        return new Result.View("admin/organisations", page.model("orgs", orgs.data(), "search", search,
                "error", error, "form", form == null ? map() : form), error == null ? 200 : 422);
    }

    private Result create(Page page) {
        Map<String, Object> body = body(page);
        try {
            JsonNode created = page.api.post("/api/v1/organisations", body);
            return new Result.Redirect("/admin/organisations/" + created.path("id").asLong() + "?notice=created");
        } catch (ApiClient.ApiError e) {
            AdminPages.rethrowServerErrors(e);
            return list(page, e.getMessage(), body);
        }
    }

    private Result detail(Page page, String error, int status) {
        long id = page.id(1);
        String base = "/api/v1/organisations/" + id;
        JsonNode org = page.api.get(base);
        JsonNode config;
        try {
            config = page.api.get(base + "/config");
        } catch (ApiClient.ApiError e) {
            AdminPages.rethrowServerErrors(e);
            config = ApiClient.JSON.createArrayNode();
        }
        return new Result.View("admin/organisation", page.model("org", org,
                "members", page.api.get(base + "/members"),
                "access", page.api.get(base + "/plugin-access"),
                "config", config,
                "parents", page.api.page("/api/v1/organisations?per_page=100").data(),
                "agents", page.api.page("/api/v1/users?per_page=100").data(),
                "groups", page.api.page("/api/v1/groups?per_page=100").data(),
                "error", error,
                "fields", CustomFieldPages.fields(page, "organisation", id),
                "fields_error", CustomFieldPages.fieldsError(page, "organisation", id)), status);
    }

    private Result update(Page page) {
        try {
            page.api.put("/api/v1/organisations/" + page.id(1), body(page));
            return new Result.Redirect("/admin/organisations/" + page.id(1) + "?notice=saved");
        } catch (ApiClient.ApiError e) {
            AdminPages.rethrowServerErrors(e);
            return detail(page, e.getMessage(), 422);
        }
    }

    private Result delete(Page page) {
        try {
            page.api.delete("/api/v1/organisations/" + page.id(1));
            return new Result.Redirect("/admin/organisations?notice=deleted");
        } catch (ApiClient.ApiError e) {
            AdminPages.rethrowServerErrors(e);
            return detail(page, e.getMessage(), 409);
        }
    }

    private Result addMember(Page page) {
        boolean agent = page.longParam("user_id") != null;
        Map<String, Object> body = map("role", page.param("role"), "is_default", page.param("is_default") != null);
        if (agent) {
            body.put("user_id", page.longParam("user_id"));
        } else {
            body.put("customer_login", page.param("customer_login"));
        }
        return change(page, "POST", "/members", body, "member_added");
    }

    private Result setConfig(Page page) {
        String name = page.param("name");
        String raw = page.raw("value");
        Object value;
        try {
            // the value is JSON (a number, true, "text", a list); plain words are taken as text
            value = raw == null ? null : ApiClient.JSON.readValue(raw, Object.class);
        } catch (java.io.IOException notJson) {
            value = raw;
        }
        return change(page, "PUT", "/config/" + encode(name), map("value", value), "saved");
    }

    /** One change through the API, then the organisation's page again (with the refusal when there is one). */
    private Result change(Page page, String method, String suffix, Map<String, Object> body, String notice) {
        String path = "/api/v1/organisations/" + page.id(1) + suffix;
        try {
            switch (method) {
                case "POST" -> page.api.post(path, body);
                case "PUT" -> page.api.put(path, body);
                default -> page.api.delete(path);
            }
            return new Result.Redirect("/admin/organisations/" + page.id(1) + "?notice=" + notice);
        } catch (ApiClient.ApiError e) {
            AdminPages.rethrowServerErrors(e);
            return detail(page, e.getMessage(), 422);
        }
    }

    private static String encode(String name) {
        return name == null ? "" : java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static Map<String, Object> body(Page page) {
        return map("name", page.param("name"), "slug", page.param("slug"), "status", page.param("status"),
                "parent_id", page.longParam("parent_id") == null ? 0L : page.longParam("parent_id"),
                "customer_company_id", page.param("customer_company_id") == null ? "" : page.param("customer_company_id"));
    }
}
