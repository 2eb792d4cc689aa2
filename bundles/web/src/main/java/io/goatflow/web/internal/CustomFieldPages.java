package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom fields in the console: the admin page that defines them, and the "Fields" card of an entity page with one
 * control per type (date picker, select, checkboxes, coordinates with a map preview, address parts…). Values go to
 * the REST API unchanged in meaning; its validation messages come back next to each control.
 */
final class CustomFieldPages {
    static final List<String> TYPES = List.of("text", "textarea", "integer", "decimal", "boolean", "date", "datetime",
            "select", "multi_select", "url", "email", "phone", "point", "polygon", "address");
    static final List<String> ENTITIES = List.of("ticket", "article", "contact", "agent", "queue", "group",
            "organisation");
    /** The input type of the types that use a plain {@code <input>}. */
    static final Map<String, String> CONTROLS = Map.of("integer", "number", "decimal", "number", "date", "date",
            "datetime", "datetime-local", "url", "url", "email", "email", "phone", "tel");
    static final List<String> ADDRESS_PARTS = List.of("street", "postcode", "city", "region", "country");

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/admin/custom-fields", Route.Area.ADMIN, page -> admin(page, null, null, 200)),
                Route.of("POST", "/admin/custom-fields", Route.Area.ADMIN, this::create),
                Route.of("POST", "/admin/custom-fields/{id}/delete", Route.Area.ADMIN, this::delete),
                Route.of("POST", "/agent/tickets/columns", Route.Area.AGENT, this::saveColumns));
    }

    // ------------------------------------------------------------------ admin

    private Result admin(Page page, String error, Map<String, Object> form, int status) {
        JsonNode defs = page.api.get("/api/v1/custom-fields/definitions?include_hidden=true");
        return new Result.View("admin/custom-fields", page.model("definitions", defs, "types", TYPES,
                "entities", ENTITIES, "error", error, "form", form == null ? Map.of() : form), status);
    }

    private Result create(Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entity_type", page.param("entity_type"));
        body.put("name", page.param("name"));
        body.put("label", page.param("label"));
        body.put("field_type", page.param("field_type"));
        body.put("section", page.param("section"));
        body.put("order", page.longParam("order"));
        body.put("required", "on".equals(page.param("required")));
        body.put("customer_visible", "on".equals(page.param("customer_visible")));
        body.put("description", page.param("description"));
        Map<String, Object> form = new LinkedHashMap<>(body);
        form.put("config", page.raw("config"));
        String config = page.raw("config");
        if (config != null && !config.isBlank()) {
            try {
                body.put("config", ApiClient.JSON.readTree(config));
            } catch (java.io.IOException e) {
                return admin(page, page.t("cf.config_json"), form, 422);
            }
        }
        try {
            page.api.post("/api/v1/custom-fields/definitions", body);
            return new Result.Redirect("/admin/custom-fields?notice=saved");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            return admin(page, e.getMessage(), form, 422);
        }
    }

    private Result delete(Page page) {
        try {
            page.api.delete("/api/v1/custom-fields/definitions/" + page.id(1));
            return new Result.Redirect("/admin/custom-fields?notice=deleted");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500 || e.status == 404) {
                throw e;
            }
            return admin(page, e.getMessage(), null, 422);
        }
    }

    // ------------------------------------------------------------------ ticket list

    /** The visible definitions of an entity type; none when the custom-field area is not running. */
    static JsonNode definitions(Page page, String entityType) {
        try {
            return page.api.get("/api/v1/custom-fields/definitions?entity_type=" + entityType);
        } catch (ApiClient.ApiError e) {
            if (e.status == 503) {
                return ApiClient.JSON.createArrayNode();
            }
            throw e;
        }
    }

    /** The request's {@code cf.*} parameters that have a value: the list's field filters, passed to the API as is. */
    static Map<String, Object> filterParams(Page page) {
        Map<String, Object> out = new java.util.TreeMap<>();
        page.request.getParameterMap().forEach((key, values) -> {
            if (key.startsWith("cf.") && key.length() <= 210 && values.length > 0 && !values[0].isBlank()) {
                out.put(key, values[0].trim());
            }
        });
        return out;
    }

    /**
     * One filter control per ticket field: a text box (contains) for text, from/to for numbers and dates, a choice
     * for booleans and options, the postcode for addresses, and "lat, lng, km" for places.
     */
    static List<Map<String, Object>> filterControls(Page page, JsonNode defs, Map<String, Object> current) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode d : defs) {
            String name = d.path("name").asText();
            String type = d.path("field_type").asText();
            String base = "cf." + name;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("label", d.path("label").asText(name));
            c.put("type", type);
            switch (type) {
                case "integer", "decimal", "date", "datetime" -> {
                    c.put("kind", "range");
                    c.put("input", type.equals("integer") || type.equals("decimal") ? "number" : "date");
                    c.put("from", base + ".gte");
                    c.put("to", base + ".lte");
                }
                case "boolean", "select", "multi_select" -> {
                    c.put("kind", "choice");
                    c.put("param", base);
                    List<Map<String, Object>> options = new ArrayList<>();
                    if (type.equals("boolean")) {
                        options.add(map("value", "true", "label", page.t("admin.yes")));
                        options.add(map("value", "false", "label", page.t("admin.no")));
                    } else {
                        for (JsonNode o : d.path("config").path("options")) {
                            options.add(map("value", o.path("value").asText(), "label",
                                    o.path("label").asText(o.path("value").asText())));
                        }
                    }
                    c.put("options", options);
                }
                case "point", "polygon" -> {
                    c.put("kind", "text");
                    c.put("param", base + ".near");
                    c.put("hint", page.t("cf.filter_near"));
                }
                case "address" -> {
                    c.put("kind", "text");
                    c.put("param", base);
                    c.put("hint", page.t("cf.filter_postcode"));
                }
                default -> {
                    c.put("kind", "text");
                    c.put("param", base + ".like");
                    c.put("hint", page.t("cf.filter_contains"));
                }
            }
            for (String key : List.of("param", "from", "to")) {
                if (c.containsKey(key)) {
                    c.put(key + "_value", current.get((String) c.get(key)));
                }
            }
            out.add(c);
        }
        return out;
    }

    /** The columns an agent chose: {@code cols} of the request, else their saved preference; known fields only. */
    static List<Map<String, Object>> columns(Page page, JsonNode defs) {
        List<String> wanted = new ArrayList<>();
        if (page.raw("cols") != null) {
            for (String name : page.raw("cols").split(",")) {
                wanted.add(name.trim());
            }
        } else {
            page.preferences.path("ticket_columns").forEach(n -> wanted.add(n.asText()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : wanted) {
            for (JsonNode d : defs) {
                if (d.path("name").asText().equals(name)) {
                    out.add(map("name", name, "label", d.path("label").asText(name), "def", d));
                }
            }
        }
        return out;
    }

    /** Adds {@code cf_cells}, the shown text of each chosen column, to each ticket row; one API call per page. */
    static void addCells(Page page, List<Map<String, Object>> columns, List<Map<String, Object>> tickets) {
        if (columns.isEmpty() || tickets.isEmpty()) {
            return;
        }
        Map<String, JsonNode> byId = bulkValues(page, "ticket", tickets.stream().map(t -> t.get("id")).toList());
        for (Map<String, Object> t : tickets) {
            JsonNode values = byId.getOrDefault(String.valueOf(t.get("id")), ApiClient.JSON.createObjectNode());
            // a row the API left out (no longer visible) shows empty cells
            List<Map<String, Object>> cells = new ArrayList<>();
            for (Map<String, Object> column : columns) {
                JsonNode def = (JsonNode) column.get("def");
                JsonNode value = values.path((String) column.get("name"));
                boolean instant = "datetime".equals(def.path("field_type").asText()) && value.isTextual();
                cells.add(map("text", shown(page, def, value), "datetime", instant ? value.asText() : null));
            }
            t.put("cf_cells", cells);
        }
    }

    /**
     * Saves the chosen columns in the agent's preferences (on every instance), then shows the list again. Demo
     * accounts cannot save preferences: their choice travels in the address instead.
     */
    private Result saveColumns(Page page) {
        List<String> chosen = new ArrayList<>();
        for (String name : page.params("column")) {
            if (name.matches("[a-z][a-z0-9_]{0,199}") && !chosen.contains(name) && chosen.size() < 12) {
                chosen.add(name);
            }
        }
        String back = page.raw("back") == null || !page.raw("back").matches("[A-Za-z0-9._~%&=+\\-]{0,2000}") ? ""
                : page.raw("back").replaceAll("(^|&)cols=[^&]*", "");
        try {
            page.api.put("/api/v1/users/me/preferences", map("ticket_columns", chosen));
        } catch (ApiClient.ApiError e) {
            if (e.status != 403) {
                throw e;
            }
            back = back + (back.isEmpty() ? "" : "&") + "cols=" + java.net.URLEncoder.encode(String.join(",", chosen),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        back = back.replaceAll("^&+", "");
        return new Result.Redirect("/agent/tickets" + (back.isEmpty() ? "" : "?" + back));
    }

    // ------------------------------------------------------------------ entity pages

    /** Request attribute: the object whose values a save just refused, and the API's message per field. */
    private static final String REFUSED = "goatflow.cf.refused";

    private record Refused(String entityType, long id, JsonNode errors) {
    }

    /**
     * The fields of one object for its page: each definition the caller sees with its value, the form's text for
     * each control and, after a refused save of this object, what was typed and the API's message by each control.
     * Empty when the custom-field area is not running.
     */
    static List<Map<String, Object>> fields(Page page, String entityType, long id) {
        JsonNode defs = definitions(page, entityType);
        if (defs.isEmpty()) {
            return List.of();
        }
        JsonNode values = page.api.get("/api/v1/custom-fields/values/" + entityType + "/" + id).path("values");
        return fields(page, defs, entityType, id, values);
    }

    /** The fields of several objects of one type (the articles of a ticket), read in one call, by object id. */
    static Map<String, Map<String, Object>> cards(Page page, String entityType, List<Long> ids) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        JsonNode defs = ids.isEmpty() ? ApiClient.JSON.createArrayNode() : definitions(page, entityType);
        if (defs.isEmpty()) {
            return out;
        }
        bulkValues(page, entityType, ids).forEach((id, values) -> out.put(id, map("fields",
                fields(page, defs, entityType, Long.parseLong(id), values), "error",
                fieldsError(page, entityType, Long.parseLong(id)))));
        return out;
    }

    /** The values of a page of objects in one call, by object id; objects the caller may not see are left out. */
    private static Map<String, JsonNode> bulkValues(Page page, String entityType, List<?> ids) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String list = ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        for (JsonNode row : page.api.get("/api/v1/custom-fields/values/" + entityType + "?ids=" + list)) {
            out.put(row.path("object_id").asText(), row.path("values"));
        }
        return out;
    }

    /** The message on top of an object's card after a refused save of it; null otherwise. */
    static String fieldsError(Page page, String entityType, long id) {
        Refused refused = refused(page, entityType, id);
        if (refused == null) {
            return null;
        }
        return refused.errors().has("") ? refused.errors().path("").asText() : page.t("cf.refused");
    }

    private static Refused refused(Page page, String entityType, long id) {
        Object attribute = page.request.getAttribute(REFUSED);
        return attribute instanceof Refused r && r.entityType().equals(entityType) && r.id() == id ? r : null;
    }

    private static List<Map<String, Object>> fields(Page page, JsonNode defs, String entityType, long id,
            JsonNode values) {
        Refused refused = refused(page, entityType, id);
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode d : defs) {
            String name = d.path("name").asText();
            JsonNode value = values.path(name);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("def", Page.plain(d));
            f.put("name", name);
            f.put("type", d.path("field_type").asText());
            f.put("control", CONTROLS.getOrDefault(d.path("field_type").asText(), "text"));
            f.put("value", value.isMissingNode() || value.isNull() ? null : Page.plain(value));
            f.put("display", shown(page, d, value));
            f.put("input", refused != null ? typed(page, name) : inputs(d, value));
            f.put("options", Page.plain(d.path("config").path("options")));
            f.put("error", refused == null || !refused.errors().has(name) ? null
                    : refused.errors().path(name).asText());
            f.put("preview", MapPreview.svg(d.path("field_type").asText(), value));
            out.add(f);
        }
        return out;
    }

    /** What was typed into one field's controls, by control name suffix (as {@link #inputs}). */
    private static Map<String, String> typed(Page page, String name) {
        Map<String, String> typed = new LinkedHashMap<>();
        page.request.getParameterMap().forEach((key, values) -> {
            if (key.equals("cf-" + name)) {
                typed.put("", values[0]);
            } else if (key.startsWith("cf-" + name + "-opt-")) {
                typed.put("opt:" + key.substring(("cf-" + name + "-opt-").length()), "on");
            } else if (key.startsWith("cf-" + name + "-")) {
                typed.put(key.substring(("cf-" + name + "-").length()), values[0]);
            }
        });
        return typed;
    }

    /** Text for the view mode, with yes and no in the page's language. */
    private static String shown(Page page, JsonNode def, JsonNode value) {
        return value.isBoolean() ? page.t(value.asBoolean() ? "admin.yes" : "admin.no") : display(def, value);
    }

    /** Text for the view mode. */
    private static String display(JsonNode def, JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        return switch (def.path("field_type").asText()) {
            case "multi_select" -> {
                List<String> labels = new ArrayList<>();
                value.forEach(v -> labels.add(label(def, v.asText())));
                yield String.join(", ", labels);
            }
            case "select" -> label(def, value.asText());
            case "point" -> value.path("lat").asText() + ", " + value.path("lng").asText();
            case "polygon" -> (value.path("coordinates").path(0).size() - 1) + " ⬡";
            case "address" -> {
                List<String> parts = new ArrayList<>();
                for (String p : ADDRESS_PARTS) {
                    if (value.hasNonNull(p)) {
                        parts.add(value.path(p).asText());
                    }
                }
                yield String.join(", ", parts);
            }
            default -> value.isTextual() ? value.asText() : value.toString();
        };
    }

    private static String label(JsonNode def, String option) {
        for (JsonNode o : def.path("config").path("options")) {
            if (o.path("value").asText().equals(option)) {
                return o.path("label").asText(option);
            }
        }
        return option;
    }

    /** The form controls' text for a stored value, by control name suffix. */
    private static Map<String, String> inputs(JsonNode def, JsonNode value) {
        Map<String, String> in = new LinkedHashMap<>();
        if (value == null || value.isMissingNode() || value.isNull()) {
            return in;
        }
        switch (def.path("field_type").asText()) {
            case "point" -> {
                in.put("lat", value.path("lat").asText());
                in.put("lng", value.path("lng").asText());
            }
            case "address" -> ADDRESS_PARTS.forEach(p -> in.put(p, value.path(p).asText("")));
            case "polygon" -> in.put("", value.toString());
            case "datetime" -> in.put("", value.asText().replaceAll("(:\\d\\d)(\\.\\d+)?Z$", "$1").replace("Z", ""));
            case "multi_select" -> value.forEach(v -> in.put("opt:" + v.asText(), "on"));
            case "boolean" -> in.put("", value.asBoolean() ? "true" : "false");
            default -> in.put("", value.isTextual() ? value.asText() : value.toString());
        }
        return in;
    }

    /**
     * The route that saves the fields of one kind of object from its card: on success back to the object's page
     * (at {@code anchor}), else that page again, rendered by {@code view} with what was typed and the API's
     * messages by each control.
     */
    static Route saveRoute(String path, Route.Area area, String entityType, java.util.function.ToLongFunction<Page> id,
            java.util.function.Function<Page, String> back, java.util.function.Function<Page, String> anchor,
            Route.Handler view) {
        return Route.of("POST", path, area, page -> save(page, entityType, id.applyAsLong(page), back.apply(page),
                anchor.apply(page), view));
    }

    private static Result save(Page page, String entityType, long id, String back, String anchor, Route.Handler view)
            throws Exception {
        JsonNode defs = definitions(page, entityType);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (JsonNode d : defs) {
            String name = d.path("name").asText();
            if (page.param("cf-present-" + name) == null) {
                continue; // not on the form (added since the page was shown)
            }
            try {
                values.put(name, value(page, d));
            } catch (IllegalArgumentException e) {
                errors.put(name, page.t("cf.not_a_number"));
            }
        }
        if (values.isEmpty() && errors.isEmpty()) {
            return new Result.Redirect(back); // nothing on the form
        }
        if (errors.isEmpty()) {
            try {
                page.api.put("/api/v1/custom-fields/values/" + entityType + "/" + id, map("values", values));
                return new Result.Redirect(back + (back.contains("?") ? "&" : "?") + "notice=fields_saved#" + anchor);
            } catch (ApiClient.ApiError e) {
                if (e.status >= 500 || e.status == 404) {
                    throw e;
                }
                e.fields.fields().forEachRemaining(f -> errors.put(f.getKey(), f.getValue().asText()));
                if (errors.isEmpty()) {
                    errors.put("", e.getMessage());
                }
            }
        }
        page.request.setAttribute(REFUSED, new Refused(entityType, id, ApiClient.JSON.valueToTree(errors)));
        Result shown = view.handle(page);
        return shown instanceof Result.View v ? new Result.View(v.template(), v.model(), 422) : shown;
    }

    /** One field's value from the form, as the API expects it (null clears). */
    static Object value(Page page, JsonNode def) {
        String name = def.path("name").asText();
        String p = "cf-" + name;
        String text = page.raw(p);
        boolean blank = text == null || text.isBlank();
        switch (def.path("field_type").asText()) {
            case "integer":
                return blank ? null : Long.valueOf(text.trim());
            case "decimal":
                return blank ? null : new java.math.BigDecimal(text.trim().replace(',', '.'));
            case "boolean":
                return blank ? null : Boolean.valueOf("true".equals(text));
            case "datetime":
                // the control shows UTC without seconds; the API wants an offset
                return blank ? null : (text.length() == 16 ? text + ":00Z" : text + "Z");
            case "multi_select": {
                ArrayNode chosen = ApiClient.JSON.createArrayNode();
                for (JsonNode o : def.path("config").path("options")) {
                    if (page.param(p + "-opt-" + o.path("value").asText()) != null) {
                        chosen.add(o.path("value").asText());
                    }
                }
                return chosen.isEmpty() ? null : chosen;
            }
            case "point": {
                String lat = page.param(p + "-lat");
                String lng = page.param(p + "-lng");
                boolean noLat = lat == null || lat.isBlank();
                boolean noLng = lng == null || lng.isBlank();
                if (noLat && noLng) {
                    return null;
                }
                if (noLat || noLng) {
                    throw new NumberFormatException("a position needs both numbers");
                }
                return map("lat", Double.valueOf(lat.trim()), "lng", Double.valueOf(lng.trim()));
            }
            case "address": {
                ObjectNode address = ApiClient.JSON.createObjectNode();
                for (String part : ADDRESS_PARTS) {
                    String v = page.param(p + "-" + part);
                    if (v != null && !v.isBlank()) {
                        address.put(part, v.trim());
                    }
                }
                return address.isEmpty() ? null : address;
            }
            case "polygon":
                if (blank) {
                    return null;
                }
                try {
                    return ApiClient.JSON.readTree(text);
                } catch (java.io.IOException e) {
                    return text; // the API names it: not a GeoJSON object
                }
            default:
                return blank ? null : text;
        }
    }
}
