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
                Route.of("POST", "/agent/tickets/{id}/fields", Route.Area.AGENT, this::saveTicketFields));
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

    // ------------------------------------------------------------------ entity pages

    /**
     * The fields of one object for its page: each definition the caller sees with its value, the form's text for
     * each control and the API's message for it. Empty when the custom-field area is not running.
     */
    static List<Map<String, Object>> fields(Page page, String entityType, long id, Map<String, String> submitted,
            JsonNode errors) {
        JsonNode defs;
        JsonNode values;
        try {
            defs = page.api.get("/api/v1/custom-fields/definitions?entity_type=" + entityType);
            values = page.api.get("/api/v1/custom-fields/values/" + entityType + "/" + id).path("values");
        } catch (ApiClient.ApiError e) {
            if (e.status == 503) {
                return List.of();
            }
            throw e;
        }
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
            f.put("display", value.isBoolean() ? page.t(value.asBoolean() ? "admin.yes" : "admin.no")
                    : display(d, value));
            f.put("input", submitted != null ? submitted : inputs(d, value));
            f.put("options", Page.plain(d.path("config").path("options")));
            f.put("error", errors == null || !errors.has(name) ? null : errors.path(name).asText());
            f.put("preview", MapPreview.svg(d.path("field_type").asText(), value));
            out.add(f);
        }
        return out;
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

    private Result saveTicketFields(Page page) {
        long id = page.id(1);
        JsonNode defs = page.api.get("/api/v1/custom-fields/definitions?entity_type=ticket");
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
        if (errors.isEmpty() && !values.isEmpty()) {
            try {
                page.api.put("/api/v1/custom-fields/values/ticket/" + id, map("values", values));
                return new Result.Redirect("/agent/tickets/" + id + "?notice=fields_saved#fields-heading");
            } catch (ApiClient.ApiError e) {
                if (e.status >= 500 || e.status == 404) {
                    throw e;
                }
                e.fields.fields().forEachRemaining(f -> errors.put(f.getKey(), f.getValue().asText()));
                if (errors.isEmpty()) {
                    errors.put("", e.getMessage());
                }
            }
        } else if (errors.isEmpty()) {
            return new Result.Redirect("/agent/tickets/" + id); // nothing on the form
        }
        return AgentPages.zoomWithFieldErrors(page, id, ApiClient.JSON.valueToTree(errors));
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
