package io.goatflow.auth.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PathParam;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The caller's own profile: {@code GET/PUT /api/v1/users/me/preferences} (language and theme, for agents and
 * customers) and {@code PUT /api/v1/users/me/password}. In demo mode non-admins can do neither of the writes
 * (403 {@code DEMO_MODE}); the web console then keeps preferences in session cookies.
 */
@Component(service = ProfileResource.class, configurationPid = "io.goatflow.auth")
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ProfileResource {
    /** The console's languages; the first is the default. */
    public static final List<String> LANGUAGES = List.of("en", "ar", "zh", "fr", "de", "he", "ja", "fa", "pl", "pt",
            "ru", "es", "uk", "ur", "tlh");
    public static final Set<String> THEMES = Set.of("light", "dark");
    private static final String LANGUAGE_KEY = "UserLanguage";
    private static final String THEME_KEY = "UserTheme";
    /** The custom fields an agent shows as ticket list columns, comma-separated names. */
    private static final String TICKET_COLUMNS_KEY = "GoatFlowTicketColumns";
    private static final int MAX_TICKET_COLUMNS = 12;
    private static final java.util.regex.Pattern COLUMN = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,199}");
    private static final String SAVED_SEARCH_PREFIX = "SavedSearch::";
    private static final int MAX_SAVED_SEARCHES = 50;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Database database;
    private final PasswordLogin login;
    private final PasswordHashing passwords;
    private final LoginSessions sessions;
    private final boolean demoMode;

    public record PreferencesRequest(String language, String theme, List<String> ticket_columns) {
    }

    public record SavedSearchRequest(String name, String query, String status) {
    }

    public record PasswordRequest(String current_password, String new_password) {
    }

    @Activate
    public ProfileResource(AuthConfig config, @Reference Database database, @Reference PasswordHashing passwords,
            @Reference LoginSessions sessions, @Reference PasswordLogin login,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.login = login;
        this.database = database;
        this.passwords = passwords;
        this.sessions = sessions;
        this.demoMode = config.demo_mode();
    }

    @GET
    @Path("users/me/preferences")
    public Envelope preferences(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(database.inTransaction(c -> read(c, caller)));
    }

    @PUT
    @Path("users/me/preferences")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updatePreferences(@Context SecurityContext security, PreferencesRequest request) {
        Caller caller = Callers.require(security);
        refuseInDemoMode(caller);
        if (request == null) {
            throw ApiException.validation("A preferences body is required");
        }
        if (request.language() != null && !LANGUAGES.contains(request.language())) {
            throw ApiException.validation("language must be one of " + String.join(", ", LANGUAGES));
        }
        if (request.theme() != null && !THEMES.contains(request.theme())) {
            throw ApiException.validation("theme must be light or dark");
        }
        List<String> columns = request.ticket_columns();
        if (columns != null && (columns.size() > MAX_TICKET_COLUMNS
                || !columns.stream().allMatch(c -> c != null && COLUMN.matcher(c).matches())
                || new java.util.HashSet<>(columns).size() != columns.size())) {
            throw ApiException.fieldErrors(Map.of("ticket_columns", "give at most " + MAX_TICKET_COLUMNS
                    + " different custom field names"));
        }
        return Envelope.ok(database.inTransaction(c -> {
            if (request.language() != null) {
                write(c, caller, LANGUAGE_KEY, request.language());
            }
            if (request.theme() != null) {
                write(c, caller, THEME_KEY, request.theme());
            }
            if (columns != null) {
                write(c, caller, TICKET_COLUMNS_KEY, String.join(",", columns));
            }
            return read(c, caller);
        }));
    }

    @PUT
    @Path("users/me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope changePassword(@Context SecurityContext security, PasswordRequest request,
            @Context HttpServletRequest http) {
        Caller caller = changingCredentials(security, demoMode);
        if (request == null || request.current_password() == null) {
            throw ApiException.validation("current_password and new_password are required");
        }
        String fresh = DirectoryResource.password(request.new_password());
        login.confirmCurrentPassword(caller, request.current_password(), AuthResource.clientIp(http));
        String table = caller.isCustomer() ? "customer_user" : "users";
        database.inTransaction(c -> {
            Jdbc.update(c, "UPDATE " + table + " SET pw = ?, change_time = CURRENT_TIMESTAMP WHERE id = ?",
                    Jdbc.params(passwords.hash(fresh), caller.id()));
            return null;
        });
        // Every session of the account ends, this one too: whoever knew the old password is out.
        sessions.revokeAll(caller.id(), caller.kind());
        return Envelope.ok(Map.of("changed", true, "sessions_ended", true));
    }

    @GET
    @Path("users/me/saved-searches")
    public Envelope savedSearches(@Context SecurityContext security) {
        Caller caller = Callers.requireAgent(security);
        return Envelope.ok(database.inTransaction(c -> saved(c, caller)));
    }

    /** Saves (or replaces) a named ticket search of the agent: {@code {name, query, status}}. */
    @POST
    @Path("users/me/saved-searches")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope saveSearch(@Context SecurityContext security, SavedSearchRequest request) {
        Caller caller = Callers.requireAgent(security);
        if (request == null || request.name() == null || request.name().isBlank() || request.name().length() > 100
                || request.name().chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.validation("name is required (at most 100 characters)");
        }
        if (request.query() == null || request.query().isBlank() || request.query().length() > 500) {
            throw ApiException.validation("query is required (at most 500 characters)");
        }
        if (request.status() != null && !Set.of("open", "closed", "all").contains(request.status())) {
            throw ApiException.validation("status must be open, closed or all");
        }
        String name = request.name().trim();
        String value = JSON.createObjectNode().put("query", request.query().trim())
                .put("status", request.status()).toString();
        return Envelope.ok(database.inTransaction(c -> {
            List<Map<String, Object>> existing = saved(c, caller);
            if (existing.size() >= MAX_SAVED_SEARCHES && existing.stream().noneMatch(e -> name.equals(e.get("name")))) {
                throw ApiException.conflict("TOO_MANY_SAVED_SEARCHES",
                        "At most " + MAX_SAVED_SEARCHES + " saved searches; delete one first");
            }
            write(c, caller, SAVED_SEARCH_PREFIX + name, value);
            return saved(c, caller);
        }));
    }

    @DELETE
    @Path("users/me/saved-searches/{name}")
    public Envelope deleteSearch(@Context SecurityContext security, @PathParam("name") String name) {
        Caller caller = Callers.requireAgent(security);
        int removed = database.inTransaction(c -> Jdbc.update(c,
                "DELETE FROM user_preferences WHERE user_id = ? AND preferences_key = ?",
                Jdbc.params(caller.id(), SAVED_SEARCH_PREFIX + name)));
        // Deleting is idempotent: a search that is gone already is just as deleted.
        return Envelope.ok(Map.of("deleted", name, "existed", removed > 0));
    }

    private static List<Map<String, Object>> saved(Connection c, Caller caller) throws SQLException {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Map<String, Object> row : Jdbc.rows(c, "SELECT preferences_key, preferences_value FROM user_preferences"
                + " WHERE user_id = ? AND preferences_key LIKE ? ORDER BY preferences_key",
                List.of(caller.id(), SAVED_SEARCH_PREFIX + "%"))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", ((String) row.get("preferences_key")).substring(SAVED_SEARCH_PREFIX.length()));
            try {
                com.fasterxml.jackson.databind.JsonNode value = JSON.readTree((String) row.get("preferences_value"));
                entry.put("query", value.path("query").asText());
                entry.put("status", value.path("status").isTextual() ? value.path("status").asText() : null);
            } catch (java.io.IOException e) {
                continue;
            }
            out.add(entry);
        }
        return out;
    }

    private void refuseInDemoMode(Caller caller) {
        refuseInDemoMode(demoMode, caller);
    }

    /** Demo installations let only administrators change passwords, second factors and preferences. */
    static void refuseInDemoMode(boolean demoMode, Caller caller) {
        if (demoMode && !caller.admin()) {
            throw new ApiException(403, "DEMO_MODE", "This is a demo: only administrators can change this");
        }
    }

    /**
     * The caller of a route that changes a credential (password, second factors, passkeys): an interactive
     * session (403 for access tokens), and not a non-admin of a demo installation.
     */
    static Caller changingCredentials(SecurityContext security, boolean demoMode) {
        Caller caller = Callers.requireInteractive(security);
        refuseInDemoMode(demoMode, caller);
        return caller;
    }

    private Map<String, Object> read(Connection c, Caller caller) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("language", null);
        out.put("theme", null);
        out.put("ticket_columns", List.of());
        String sql = caller.isCustomer()
                ? "SELECT preferences_key, preferences_value FROM customer_preferences WHERE user_id = ?"
                : "SELECT preferences_key, preferences_value FROM user_preferences WHERE user_id = ?";
        for (Map<String, Object> row : Jdbc.rows(c, sql, List.of(key(caller)))) {
            Object value = row.get("preferences_value");
            if (value != null && LANGUAGE_KEY.equals(row.get("preferences_key")) && LANGUAGES.contains(value)) {
                out.put("language", value);
            } else if (value != null && THEME_KEY.equals(row.get("preferences_key")) && THEMES.contains(value)) {
                out.put("theme", value);
            } else if (value != null && TICKET_COLUMNS_KEY.equals(row.get("preferences_key"))) {
                out.put("ticket_columns", java.util.Arrays.stream(value.toString().split(","))
                        .filter(name -> COLUMN.matcher(name).matches()).toList());
            }
        }
        out.put("demo_mode", demoMode && !caller.admin());
        return out;
    }

    private static void write(Connection c, Caller caller, String key, String value) throws SQLException {
        String table = caller.isCustomer() ? "customer_preferences" : "user_preferences";
        Jdbc.update(c, "DELETE FROM " + table + " WHERE user_id = ? AND preferences_key = ?",
                Jdbc.params(key(caller), key));
        Jdbc.update(c, "INSERT INTO " + table + " (user_id, preferences_key, preferences_value) VALUES (?, ?, ?)",
                Jdbc.params(key(caller), key, value));
    }

    /** OTRS keys agent preferences by user id and customer preferences by login. */
    private static Object key(Caller caller) {
        return caller.isCustomer() ? caller.login() : caller.id();
    }
}
