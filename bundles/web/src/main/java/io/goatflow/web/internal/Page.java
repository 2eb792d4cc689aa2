package io.goatflow.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** One console request as a handler sees it: who is asking, in which language and theme, and the API as them. */
final class Page {
    final HttpServletRequest request;
    final HttpServletResponse response;
    final Route.Area area;
    final Matcher match;
    final ApiClient api;
    final Language lang;
    final String theme;
    final JsonNode me;
    /** The account's preferences ({@code GET /api/v1/users/me/preferences}); empty on public pages. */
    final JsonNode preferences;
    /** The organisations the account may act in ({@code GET /api/v1/session/orgs}), the current one marked. */
    final JsonNode organisations;
    final boolean demoMode;
    private final Messages messages;
    private final ConsoleServlet console;

    Page(ConsoleServlet console, HttpServletRequest request, HttpServletResponse response, Route.Area area, Matcher match, ApiClient api,
            Language lang, String theme, JsonNode me, JsonNode preferences, JsonNode organisations, boolean demoMode,
            Messages messages) {
        this.request = request;
        this.response = response;
        this.area = area;
        this.match = match;
        this.api = api;
        this.lang = lang;
        this.theme = theme;
        this.me = me;
        this.preferences = preferences == null ? ApiClient.JSON.createObjectNode() : preferences;
        this.organisations = organisations == null ? ApiClient.JSON.createArrayNode() : organisations;
        this.demoMode = demoMode;
        this.messages = messages;
        this.console = console;
    }

    ConsoleServlet console() {
        return console;
    }

    long id(int group) {
        return Long.parseLong(match.group(group));
    }

    String group(int group) {
        return match.group(group);
    }

    /** A query or form parameter, trimmed; null when absent or blank. */
    String param(String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return null;
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }

    /** A parameter exactly as sent (bodies keep their whitespace). */
    String raw(String name) {
        return request.getParameter(name);
    }

    /** Whether the parameter is one of the allowed values (false when absent). */
    boolean oneOf(java.util.Collection<String> allowed, String name) {
        String value = param(name);
        return value != null && allowed.contains(value);
    }

    List<String> params(String name) {
        String[] values = request.getParameterValues(name);
        return values == null ? List.of() : List.of(values);
    }

    Long longParam(String name) {
        String value = param(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean htmx() {
        return "true".equals(request.getHeader("HX-Request"));
    }

    String t(String key, Object... args) {
        return messages.text(lang, key, args);
    }

    long myId() {
        return me == null ? 0 : me.path("id").asLong();
    }

    /** The model every template gets, plus the handler's own entries (JSON becomes plain maps and lists). */
    Map<String, Object> model(Object... keysAndValues) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("lang", lang);
        model.put("languages", Language.ALL);
        model.put("theme", theme);
        model.put("me", me == null ? null : plain(me));
        model.put("area", area.name().toLowerCase(java.util.Locale.ROOT));
        model.put("path", request.getRequestURI());
        model.put("demo", demoMode);
        model.put("orgs", plain(organisations));
        String notice = param("notice");
        if (notice != null && notice.matches("[a-z_]{1,40}")) {
            model.put("notice", notice);
        }
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            model.put((String) keysAndValues[i], value instanceof JsonNode node ? plain(node) : value);
        }
        return model;
    }

    /** As {@link #model(Object...)}, with the entries of a map. */
    Map<String, Object> model(Map<String, ?> entries) {
        Map<String, Object> model = model();
        entries.forEach((key, value) -> model.put(key, value instanceof JsonNode node ? plain(node) : value));
        return model;
    }

    Result.View view(String template, Object... keysAndValues) {
        return new Result.View(template, model(keysAndValues));
    }

    static Object plain(JsonNode node) {
        return node == null || node.isMissingNode() ? null : ApiClient.JSON.convertValue(node, Object.class);
    }
}
