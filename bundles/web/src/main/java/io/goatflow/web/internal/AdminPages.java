package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;
import static io.goatflow.web.internal.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin pages. Only admins reach them (everyone else gets a 404, as from the API); each form is one API call, and
 * a refused one comes back with the API's message and the values that were typed.
 */
final class AdminPages {
    /** The simple lookups: one list-and-form page each. */
    static final List<String> LOOKUPS = List.of("groups", "states", "priorities", "types");
    static final List<String> PERMISSION_KEYS = List.of("ro", "move_into", "create", "note", "owner", "priority", "rw");

    List<Route> routes() {
        List<Route> routes = new ArrayList<>(List.of(
                Route.of("GET", "/admin/?", Route.Area.ADMIN, page -> page.view("admin/index")),
                Route.of("GET", "/admin/users", Route.Area.ADMIN, this::users),
                Route.of("POST", "/admin/users", Route.Area.ADMIN, this::createUser),
                Route.of("GET", "/admin/users/{id}", Route.Area.ADMIN, this::user),
                CustomFieldPages.saveRoute("/admin/users/{id}/fields", Route.Area.ADMIN, "agent", p -> p.id(1),
                        p -> "/admin/users/" + p.id(1), p -> "fields-heading", this::user),
                Route.of("POST", "/admin/users/{id}", Route.Area.ADMIN, this::updateUser),
                Route.of("POST", "/admin/users/{id}/permissions", Route.Area.ADMIN,
                        page -> permissions(page, "/api/v1/users/", "/admin/users/")),
                Route.of("POST", "/admin/users/{id}/roles", Route.Area.ADMIN, this::userRoles),
                Route.of("POST", "/admin/users/{id}/two-factor/clear", Route.Area.ADMIN, this::clearTwoFactor),
                Route.of("POST", "/admin/customer-users/{id}/two-factor/clear", Route.Area.ADMIN,
                        this::clearCustomerTwoFactor),
                Route.of("GET", "/admin/roles", Route.Area.ADMIN, this::roles),
                Route.of("POST", "/admin/roles", Route.Area.ADMIN, this::createRole),
                Route.of("GET", "/admin/roles/{id}", Route.Area.ADMIN, this::role),
                Route.of("POST", "/admin/roles/{id}/permissions", Route.Area.ADMIN,
                        page -> permissions(page, "/api/v1/roles/", "/admin/roles/")),
                Route.of("GET", "/admin/queues", Route.Area.ADMIN, this::queues),
                Route.of("POST", "/admin/queues", Route.Area.ADMIN, this::saveQueue),
                Route.of("GET", "/admin/queues/{id}", Route.Area.ADMIN, page -> detail(page, "queue")),
                CustomFieldPages.saveRoute("/admin/queues/{id}/fields", Route.Area.ADMIN, "queue", p -> p.id(1),
                        p -> "/admin/queues/" + p.id(1), p -> "fields-heading", page -> detail(page, "queue")),
                Route.of("GET", "/admin/groups/{id}", Route.Area.ADMIN, page -> detail(page, "group")),
                CustomFieldPages.saveRoute("/admin/groups/{id}/fields", Route.Area.ADMIN, "group", p -> p.id(1),
                        p -> "/admin/groups/" + p.id(1), p -> "fields-heading", page -> detail(page, "group")),
                Route.of("GET", "/admin/customer-companies", Route.Area.ADMIN, this::companies),
                Route.of("POST", "/admin/customer-companies", Route.Area.ADMIN, this::createCompany),
                Route.of("GET", "/admin/customer-users", Route.Area.ADMIN, this::customerUsers),
                Route.of("POST", "/admin/customer-users", Route.Area.ADMIN, this::createCustomerUser),
                Route.of("GET", "/admin/sysconfig", Route.Area.ADMIN, this::sysconfig),
                Route.of("POST", "/admin/sysconfig", Route.Area.ADMIN, this::setSetting),
                Route.of("GET", "/admin/plugins", Route.Area.ADMIN, this::plugins),
                Route.of("POST", "/admin/plugins/{name}/(enable|disable|reset-crashloop)", Route.Area.ADMIN,
                        this::pluginAction),
                Route.of("GET", "/admin/plugins/{name}/logs", Route.Area.ADMIN, this::pluginLogs)));
        for (String kind : LOOKUPS) {
            routes.add(Route.of("GET", "/admin/" + kind, Route.Area.ADMIN, page -> lookups(page, kind, null, null)));
            routes.add(Route.of("POST", "/admin/" + kind, Route.Area.ADMIN, page -> saveLookup(page, kind)));
        }
        return routes;
    }

    // ------------------------------------------------------------------ agents

    private Result users(Page page) {
        return usersView(page, null, null, 200);
    }

    private Result usersView(Page page, String error, Map<String, Object> form, int status) {
        ApiClient.Answer answer = page.api.page(query("/api/v1/users", map("search", page.param("search"),
                "page", page.longParam("page"), "per_page", 50)));
        return new Result.View("admin/users", page.model("users", answer.data(), "pagination", answer.pagination(),
                "error", error, "form", form == null ? map() : form), status);
    }

    private Result createUser(Page page) {
        Map<String, Object> body = map("login", page.param("login"), "password", page.raw("password"),
                "first_name", page.param("first_name"), "last_name", page.param("last_name"));
        try {
            JsonNode created = page.api.post("/api/v1/users", body);
            return new Result.Redirect("/admin/users/" + created.path("id").asLong() + "?notice=created");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            body.remove("password");
            return usersView(page, e.getMessage(), body, 422);
        }
    }

    private Result user(Page page) {
        return userView(page, null, 200);
    }

    private Result userView(Page page, String error, int status) {
        long id = page.id(1);
        JsonNode user = page.api.get("/api/v1/users/" + id);
        return new Result.View("admin/user", page.model("user", user, "matrix", matrix(page, user.path("groups")),
                "keys", PERMISSION_KEYS, "roles", page.api.get("/api/v1/roles"), "error", error,
                "fields", CustomFieldPages.fields(page, "agent", id),
                "fields_error", CustomFieldPages.fieldsError(page, "agent", id)), status);
    }

    private Result updateUser(Page page) {
        Map<String, Object> body = map("first_name", page.param("first_name"), "last_name", page.param("last_name"),
                "valid", page.param("valid") == null ? null : "1".equals(page.param("valid")));
        if (page.raw("password") != null && !page.raw("password").isEmpty()) {
            body.put("password", page.raw("password"));
        }
        try {
            page.api.put("/api/v1/users/" + page.id(1), body);
            return new Result.Redirect("/admin/users/" + page.id(1) + "?notice=saved");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return userView(page, e.getMessage(), 422);
        }
    }

    /** The override for an agent who lost their authenticator; the API writes the audit entry. */
    private Result clearTwoFactor(Page page) {
        page.api.delete("/api/v1/users/" + page.id(1) + "/two-factor");
        return new Result.Redirect("/admin/users/" + page.id(1) + "?notice=two_factor_cleared");
    }

    /** The same override for a customer user (the list has no page per customer user). */
    private Result clearCustomerTwoFactor(Page page) {
        page.api.delete("/api/v1/customer-users/" + page.id(1) + "/two-factor");
        return new Result.Redirect("/admin/customer-users?notice=two_factor_cleared");
    }

    private Result userRoles(Page page) {
        List<Long> roles = new ArrayList<>();
        for (String role : page.params("role_id")) {
            if (role.matches("\\d{1,18}")) {
                roles.add(Long.valueOf(role));
            }
        }
        try {
            page.api.put("/api/v1/users/" + page.id(1) + "/roles", roles);
            return new Result.Redirect("/admin/users/" + page.id(1) + "?notice=saved");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return userView(page, e.getMessage(), 422);
        }
    }

    /**
     * Rows of the permission matrix: every group, with the keys the agent or role holds there. Queues belong to
     * groups, so this is where an admin grants an agent a queue.
     */
    private static List<Map<String, Object>> matrix(Page page, JsonNode held) {
        List<Map<String, Object>> rows = new ArrayList<>();
        JsonNode queues = page.api.get("/api/v1/queues?valid=all");
        for (JsonNode group : page.api.page("/api/v1/groups?per_page=100").data()) {
            long id = group.path("id").asLong();
            List<String> keys = new ArrayList<>();
            for (JsonNode h : held) {
                if (h.path("id").asLong() == id) {
                    keys.add(h.path("permission_key").asText());
                }
            }
            List<String> queueNames = new ArrayList<>();
            for (JsonNode q : queues) {
                if (q.path("group_id").asLong() == id) {
                    queueNames.add(q.path("name").asText());
                }
            }
            rows.add(map("id", id, "name", group.path("name").asText(), "keys", keys, "queues", queueNames));
        }
        return rows;
    }

    /** Saves the whole matrix: form fields {@code perm_<groupId>=<key>}. */
    private Result permissions(Page page, String api, String back) {
        long id = page.id(1);
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        for (String name : java.util.Collections.list(page.request.getParameterNames())) {
            if (!name.matches("perm_\\d{1,18}")) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            for (String key : page.params(name)) {
                if (PERMISSION_KEYS.contains(key)) {
                    keys.add(key);
                }
            }
            wanted.put(name.substring(5), keys);
        }
        try {
            page.api.put(api + id + "/groups", wanted);
            return new Result.Redirect(back + id + "?notice=permissions_saved");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return new Result.Redirect(back + id + "?notice=permissions_refused");
        }
    }

    // ------------------------------------------------------------------ roles

    private Result roles(Page page) {
        return new Result.View("admin/roles", page.model("roles", page.api.get("/api/v1/roles")), 200);
    }

    private Result createRole(Page page) {
        try {
            JsonNode created = page.api.post("/api/v1/roles", map("name", page.param("name"),
                    "comments", page.param("comments")));
            return new Result.Redirect("/admin/roles/" + created.path("id").asLong() + "?notice=created");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return new Result.View("admin/roles", page.model("roles", page.api.get("/api/v1/roles"),
                    "error", e.getMessage(), "form", map("name", page.param("name"))), 422);
        }
    }

    private Result role(Page page) {
        JsonNode role = page.api.get("/api/v1/roles/" + page.id(1));
        return page.view("admin/role", "role", role, "matrix", matrix(page, role.path("groups")),
                "keys", PERMISSION_KEYS);
    }

    // ------------------------------------------------------------------ queues and lookups

    private Result queues(Page page) {
        return queuesView(page, null, null, 200);
    }

    private Result queuesView(Page page, String error, Map<String, Object> form, int status) {
        return new Result.View("admin/queues", page.model("queues", page.api.get("/api/v1/queues?valid=all"),
                "groups", page.api.page("/api/v1/groups?per_page=100").data(), "error", error,
                "form", form == null ? map() : form), status);
    }

    private Result saveQueue(Page page) {
        Long id = page.longParam("id");
        Map<String, Object> body = map("name", page.param("name"), "group_id", page.longParam("group_id"),
                "comments", page.param("comments"),
                "valid", page.param("valid") == null ? null : "1".equals(page.param("valid")));
        try {
            if (id == null) {
                page.api.post("/api/v1/queues", body);
            } else {
                page.api.put("/api/v1/queues/" + id, body);
            }
            return new Result.Redirect("/admin/queues?notice=saved");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return queuesView(page, e.getMessage(), body, 422);
        }
    }

    /** The page of one queue or group: what it is, and its custom fields. */
    private Result detail(Page page, String entityType) {
        long id = page.id(1);
        JsonNode item = page.api.get("/api/v1/" + entityType + "s/" + id);
        return page.view("admin/object", "entityType", entityType, "item", item,
                "fields", CustomFieldPages.fields(page, entityType, id),
                "fields_error", CustomFieldPages.fieldsError(page, entityType, id));
    }

    private Result lookups(Page page, String kind, String error, Map<String, Object> form) {
        JsonNode items = "groups".equals(kind) ? page.api.page("/api/v1/groups?per_page=100").data()
                : page.api.get("/api/v1/" + kind + "?valid=all");
        return new Result.View("admin/lookups", page.model("kind", kind, "items", items, "error", error,
                "form", form == null ? map() : form), error == null ? 200 : 422);
    }

    private Result saveLookup(Page page, String kind) {
        Long id = page.longParam("id");
        Map<String, Object> body = map("name", page.param("name"), "comments", page.param("comments"),
                "valid", page.param("valid") == null ? null : "1".equals(page.param("valid")));
        if ("states".equals(kind)) {
            body.put("type", page.param("type"));
        }
        try {
            if (id == null) {
                page.api.post("/api/v1/" + kind, body);
            } else {
                page.api.put("/api/v1/" + kind + "/" + id, body);
            }
            return new Result.Redirect("/admin/" + kind + "?notice=saved");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return lookups(page, kind, e.getMessage(), body);
        }
    }

    // ------------------------------------------------------------------ customers

    private Result companies(Page page) {
        return companiesView(page, null, null, 200);
    }

    private Result companiesView(Page page, String error, Map<String, Object> form, int status) {
        ApiClient.Answer answer = page.api.page(query("/api/v1/customer-companies", map("search", page.param("search"),
                "page", page.longParam("page"), "per_page", 50)));
        return new Result.View("admin/customer-companies", page.model("companies", answer.data(),
                "pagination", answer.pagination(), "error", error, "form", form == null ? map() : form), status);
    }

    private Result createCompany(Page page) {
        Map<String, Object> body = map("customer_id", page.param("customer_id"), "name", page.param("name"),
                "city", page.param("city"), "country", page.param("country"), "url", page.param("url"));
        try {
            page.api.post("/api/v1/customer-companies", body);
            return new Result.Redirect("/admin/customer-companies?notice=created");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return companiesView(page, e.getMessage(), body, 422);
        }
    }

    private Result customerUsers(Page page) {
        return customerUsersView(page, null, null, 200);
    }

    private Result customerUsersView(Page page, String error, Map<String, Object> form, int status) {
        ApiClient.Answer answer = page.api.page(query("/api/v1/customer-users", map("search", page.param("search"),
                "page", page.longParam("page"), "per_page", 50)));
        return new Result.View("admin/customer-users", page.model("users", answer.data(),
                "pagination", answer.pagination(), "companies", page.api.page("/api/v1/customer-companies?per_page=100")
                        .data(), "error", error, "form", form == null ? map() : form), status);
    }

    private Result createCustomerUser(Page page) {
        Map<String, Object> body = map("login", page.param("login"), "email", page.param("email"),
                "customer_id", page.param("customer_id"), "password", page.raw("password"),
                "first_name", page.param("first_name"), "last_name", page.param("last_name"));
        try {
            page.api.post("/api/v1/customer-users", body);
            return new Result.Redirect("/admin/customer-users?notice=created");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            body.remove("password");
            return customerUsersView(page, e.getMessage(), body, 422);
        }
    }

    // ------------------------------------------------------------------ sysconfig

    private Result sysconfig(Page page) {
        return sysconfigView(page, null, null, 200);
    }

    private Result sysconfigView(Page page, String error, String failedName, int status) {
        ApiClient.Answer answer = page.api.page(query("/api/v1/admin/sysconfig", map("search", page.param("search"),
                "page", page.longParam("page"), "per_page", 50)));
        List<Map<String, Object>> settings = new ArrayList<>();
        for (JsonNode s : answer.data()) {
            Map<String, Object> row = map("name", s.path("name").asText(), "description", s.path("description").asText(""),
                    "value", s.path("value").toString(), "default", s.path("default_value").toString(),
                    "tier", s.path("tier").asText(), "readonly", s.path("readonly").asBoolean(false));
            settings.add(row);
        }
        return new Result.View("admin/sysconfig", page.model("settings", settings, "pagination", answer.pagination(),
                "search", page.param("search"), "error", error, "failed", failedName), status);
    }

    /** A setting's new value, typed as JSON (the editor shows each value as JSON, so types stay exact). */
    private Result setSetting(Page page) {
        String name = page.param("name");
        if (name == null) {
            return new Result.Redirect("/admin/sysconfig");
        }
        String encoded = java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        try {
            if ("reset".equals(page.param("action"))) {
                page.api.delete("/api/v1/admin/sysconfig/" + encoded);
            } else {
                JsonNode value;
                try {
                    value = ApiClient.JSON.readTree(page.raw("value") == null ? "" : page.raw("value"));
                } catch (java.io.IOException e) {
                    return sysconfigView(page, page.t("sysconfig.invalid_json"), name, 422);
                }
                if (value == null || value.isMissingNode()) {
                    return sysconfigView(page, page.t("sysconfig.invalid_json"), name, 422);
                }
                page.api.put("/api/v1/admin/sysconfig/" + encoded, map("value", value));
            }
            return new Result.Redirect("/admin/sysconfig?notice=saved");
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            return sysconfigView(page, e.getMessage(), name, 422);
        }
    }

    // ------------------------------------------------------------------ plugins

    private Result plugins(Page page) {
        JsonNode plugins = page.api.get("/api/v1/plugins");
        int healthy = 0;
        int unhealthy = 0;
        for (JsonNode plugin : plugins) {
            JsonNode health = plugin.path("health");
            if (!plugin.path("enabled").asBoolean(false) || health.isMissingNode() || health.isNull()) {
                continue;
            }
            if (health.path("healthy").asBoolean(false) && !health.path("crash_loop").asBoolean(false)) {
                healthy++;
            } else {
                unhealthy++;
            }
        }
        return page.view("admin/plugins", "plugins", plugins, "healthy", healthy, "unhealthy", unhealthy,
                "total", plugins.size());
    }

    private Result pluginAction(Page page) {
        String name = page.group(1);
        String action = page.group(2);
        try {
            page.api.post("/api/v1/plugins/" + name + "/" + action, null);
            return new Result.Redirect("/admin/plugins?notice=plugin_" + action.replace('-', '_'));
        } catch (ApiClient.ApiError e) {
            rethrowServerErrors(e);
            if (e.status == 404) {
                throw e;
            }
            return new Result.Redirect("/admin/plugins?notice=plugin_refused");
        }
    }

    private Result pluginLogs(Page page) {
        String name = page.group(1);
        return page.view("admin/plugin-logs", "plugin", name, "lines", page.api.get("/api/v1/plugins/" + name + "/logs"));
    }

    static void rethrowServerErrors(ApiClient.ApiError e) {
        if (e.status >= 500 || e.status == 401) {
            throw e;
        }
    }
}
