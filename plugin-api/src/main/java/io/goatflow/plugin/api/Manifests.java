package io.goatflow.plugin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads, writes and checks plugin manifests. The host validates every manifest before loading a plugin; plugin
 * authors can call {@link #validate} in their own tests.
 */
public final class Manifests {
    /** Plugin names: lower case, used in URLs, cache keys and custom field prefixes. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{1,62}");
    /**
     * Names a plugin may not take: paths of the plugin API itself ({@code /api/v1/plugins/<name>}), and {@code core},
     * the namespace of GoatFlow's own secure settings.
     */
    public static final Set<String> RESERVED_NAMES = Set.of("health", "widgets", "menu", "cascades", "logs", "upload",
            "marketplace", "call", "core");
    /** Handler (function) names. */
    public static final Pattern FUNCTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern DURATION = Pattern.compile("\\d{1,6}(ms|s|m)");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> MIDDLEWARE = Set.of("auth", "agent", "admin", "webhook", "none");
    private static final Set<String> MENU_LOCATIONS = Set.of("admin", "agent", "customer");
    private static final Set<String> WIDGET_LOCATIONS = Set.of("agent_home", "admin_home", "dashboard");
    private static final Set<String> WIDGET_SIZES = Set.of("small", "medium", "large", "full");
    /** Entities custom fields and cascades may attach to. */
    public static final Set<String> ENTITY_TYPES = Set.of("ticket", "article", "contact", "agent", "group",
            "customer_group", "queue", "organisation");
    /** The 15 custom field types. */
    public static final Set<String> FIELD_TYPES = Set.of("text", "textarea", "integer", "decimal", "boolean", "date",
            "datetime", "select", "multi_select", "url", "email", "phone", "point", "polygon", "address");
    private static final Set<String> UI_TYPES = Set.of("admin_page", "agent_app", "customer_app", "public_page",
            "kiosk");
    private static final Set<String> PERMISSION_TYPES = Set.of("db", "cache", "http", "email", "config",
            "plugin_call");
    private static final Set<String> ACCESS = Set.of("read", "write", "readwrite");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Manifests() {
    }

    /** Reads and validates a manifest. */
    public static PluginManifest parse(String json) throws ManifestException {
        PluginManifest manifest;
        try {
            manifest = JSON.readValue(json == null ? "" : json, PluginManifest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ManifestException(null, List.of(new ManifestException.Problem(path(e), "unknown field")));
        } catch (JsonMappingException e) {
            throw new ManifestException(null, List.of(new ManifestException.Problem(
                    path(e).isEmpty() ? "(manifest)" : path(e), "has the wrong type or shape")));
        } catch (JsonProcessingException e) {
            throw new ManifestException(null, List.of(new ManifestException.Problem("(manifest)", "not valid JSON"
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()))));
        }
        if (manifest == null) {
            throw new ManifestException(null, List.of(new ManifestException.Problem("(manifest)", "is empty")));
        }
        List<ManifestException.Problem> problems = validate(manifest);
        if (!problems.isEmpty()) {
            throw new ManifestException(manifest.name(), problems);
        }
        return manifest;
    }

    public static String toJson(PluginManifest manifest) {
        try {
            return JSON.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A manifest is always writable", e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** Every problem of a manifest; empty when it can be loaded. */
    public static List<ManifestException.Problem> validate(PluginManifest m) {
        Problems p = new Problems();
        if (m.name() == null || !NAME.matcher(m.name()).matches()) {
            p.add("name", "is required: 2-63 characters, lower-case letters, digits, '-' and '_', starting with a"
                    + " letter");
        } else if (RESERVED_NAMES.contains(m.name())) {
            p.add("name", "'" + m.name() + "' is reserved by GoatFlow");
        }
        if (m.version() == null) {
            p.add("version", "is required (a semantic version such as 1.0.0)");
        } else {
            p.semver("version", m.version());
        }
        if (m.minHostVersion() != null) {
            p.semver("min_host_version", m.minHostVersion());
        }
        if (m.homepage() != null && !m.homepage().matches("https?://\\S+")) {
            p.add("homepage", "must be an http(s) URL");
        }
        Set<String> required = new HashSet<>();
        for (int i = 0; i < m.requires().size(); i++) {
            PluginManifest.Requirement r = m.requires().get(i);
            String f = "requires[" + i + "]";
            if (r == null || r.name() == null || !NAME.matcher(r.name()).matches()) {
                p.add(f + ".name", "must be a plugin name");
                continue;
            }
            if (r.name().equals(m.name())) {
                p.add(f + ".name", "a plugin cannot require itself");
            }
            if (!required.add(r.name())) {
                p.add(f + ".name", "'" + r.name() + "' is required twice");
            }
            try {
                VersionRange.parse(r.version() == null ? "*" : r.version());
            } catch (IllegalArgumentException e) {
                p.add(f + ".version", e.getMessage());
            }
        }
        Set<String> routes = new HashSet<>();
        for (int i = 0; i < m.routes().size(); i++) {
            PluginManifest.Route r = m.routes().get(i);
            String f = "routes[" + i + "]";
            if (r == null) {
                p.add(f, "is empty");
                continue;
            }
            String method = r.method() == null ? "GET" : r.method().toUpperCase(java.util.Locale.ROOT);
            if (!METHODS.contains(method)) {
                p.add(f + ".method", "must be one of GET, POST, PUT, PATCH, DELETE");
            }
            p.routePath(f + ".path", r.path());
            p.function(f + ".handler", r.handler());
            for (String mw : r.middleware() == null ? List.<String>of() : r.middleware()) {
                if (mw == null || !(MIDDLEWARE.contains(mw) || mw.matches("group:[A-Za-z0-9_.-]{1,200}"))) {
                    p.add(f + ".middleware", "'" + mw + "' is not one of auth, agent, admin, group:<name>, webhook,"
                            + " none");
                }
            }
            if (r.path() != null && !routes.add(method + " " + r.path())) {
                p.add(f, method + " " + r.path() + " is declared twice");
            }
        }
        p.menu("menu_items", m.menuItems(), 0);
        Set<String> widgets = new HashSet<>();
        for (int i = 0; i < m.widgets().size(); i++) {
            PluginManifest.Widget w = m.widgets().get(i);
            String f = "widgets[" + i + "]";
            if (w == null) {
                p.add(f, "is empty");
                continue;
            }
            p.id(f + ".id", w.id(), widgets);
            p.function(f + ".handler", w.handler());
            p.oneOf(f + ".location", w.location(), WIDGET_LOCATIONS, true);
            p.oneOf(f + ".size", w.size(), WIDGET_SIZES, true);
            if (w.refreshSec() != null && (w.refreshSec() < 5 || w.refreshSec() > 86_400)) {
                p.add(f + ".refresh_sec", "must be between 5 and 86400");
            }
        }
        Set<String> jobs = new HashSet<>();
        for (int i = 0; i < m.jobs().size(); i++) {
            PluginManifest.Job j = m.jobs().get(i);
            String f = "jobs[" + i + "]";
            if (j == null) {
                p.add(f, "is empty");
                continue;
            }
            p.id(f + ".id", j.id(), jobs);
            p.function(f + ".handler", j.handler());
            if (j.schedule() == null || !j.schedule().trim().matches("(\\S+\\s+){4}\\S+")) {
                p.add(f + ".schedule", "must be a cron expression with 5 fields (minute hour day month weekday)");
            }
            p.duration(f + ".timeout", j.timeout());
        }
        for (int i = 0; i < m.templates().size(); i++) {
            PluginManifest.Template t = m.templates().get(i);
            String f = "templates[" + i + "]";
            if (t == null || t.name() == null || t.name().isBlank()) {
                p.add(f + ".name", "is required");
            } else if (t.path() == null || t.path().isBlank() || t.path().contains("..") || t.path().startsWith("/")) {
                p.add(f + ".path", "must be a relative path inside the plugin");
            }
        }
        if (m.i18n() != null && m.i18n().translations() != null) {
            for (Map.Entry<String, Map<String, String>> e : m.i18n().translations().entrySet()) {
                if (!e.getKey().matches("[a-z]{2,3}([_-][A-Za-z]{2,4})?")) {
                    p.add("i18n.translations." + e.getKey(), "is not a language code");
                }
            }
        }
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < m.errorCodes().size(); i++) {
            PluginManifest.ErrorCode e = m.errorCodes().get(i);
            String f = "error_codes[" + i + "]";
            if (e == null || e.code() == null || !ERROR_CODE.matcher(e.code()).matches()) {
                p.add(f + ".code", "must be lower_snake_case");
            } else if (!codes.add(e.code())) {
                p.add(f + ".code", "'" + e.code() + "' is declared twice");
            }
            if (e != null && e.httpStatus() != null && (e.httpStatus() < 400 || e.httpStatus() > 599)) {
                p.add(f + ".http_status", "must be between 400 and 599");
            }
        }
        Set<String> groups = new HashSet<>();
        for (int i = 0; i < m.groups().size(); i++) {
            PluginManifest.Group g = m.groups().get(i);
            if (g == null || g.name() == null || !g.name().matches("[A-Za-z0-9_.-]{1,200}")) {
                p.add("groups[" + i + "].name", "is required: letters, digits, '.', '-', '_'");
            } else if (!groups.add(g.name())) {
                p.add("groups[" + i + "].name", "'" + g.name() + "' is declared twice");
            }
        }
        Set<String> fields = new HashSet<>();
        for (int i = 0; i < m.customFields().size(); i++) {
            PluginManifest.CustomField c = m.customFields().get(i);
            String f = "custom_fields[" + i + "]";
            if (c == null) {
                p.add(f, "is empty");
                continue;
            }
            if (c.name() == null || !c.name().matches("[a-z][a-z0-9_]{0,62}")) {
                p.add(f + ".name", "must be lower_snake_case");
            }
            p.oneOf(f + ".entity_type", c.entityType(), ENTITY_TYPES, false);
            p.oneOf(f + ".field_type", c.fieldType(), FIELD_TYPES, false);
            if (c.name() != null && c.entityType() != null && !fields.add(c.entityType() + "/" + c.name())) {
                p.add(f + ".name", "'" + c.name() + "' is declared twice for " + c.entityType());
            }
        }
        Set<String> uis = new HashSet<>();
        for (int i = 0; i < m.uis().size(); i++) {
            PluginManifest.Ui u = m.uis().get(i);
            String f = "uis[" + i + "]";
            if (u == null) {
                p.add(f, "is empty");
                continue;
            }
            p.id(f + ".id", u.id(), uis);
            p.oneOf(f + ".type", u.type(), UI_TYPES, true);
            List<PluginManifest.UiRoute> uiRoutes = u.routes() == null ? List.of() : u.routes();
            for (int k = 0; k < uiRoutes.size(); k++) {
                PluginManifest.UiRoute r = uiRoutes.get(k);
                if (r == null) {
                    p.add(f + ".routes[" + k + "]", "is empty");
                    continue;
                }
                p.routePath(f + ".routes[" + k + "].path", r.path());
                p.function(f + ".routes[" + k + "].handler", r.handler());
            }
        }
        for (int i = 0; i < m.cascades().size(); i++) {
            PluginManifest.Cascade c = m.cascades().get(i);
            String f = "cascades[" + i + "]";
            if (c == null) {
                p.add(f, "is empty");
                continue;
            }
            p.oneOf(f + ".entity_type", c.entityType(), ENTITY_TYPES, false);
            if (c.onSoftDelete() == null && c.onHardDelete() == null) {
                p.add(f, "needs on_soft_delete or on_hard_delete");
            }
            if (c.onSoftDelete() != null) {
                p.function(f + ".on_soft_delete", c.onSoftDelete());
            }
            if (c.onHardDelete() != null) {
                p.function(f + ".on_hard_delete", c.onHardDelete());
            }
        }
        Set<String> tools = new HashSet<>();
        for (int i = 0; i < m.mcpTools().size(); i++) {
            PluginManifest.McpTool t = m.mcpTools().get(i);
            String f = "mcp_tools[" + i + "]";
            if (t == null) {
                p.add(f, "is empty");
                continue;
            }
            if (t.name() == null || !t.name().matches("[a-z][a-z0-9_]{0,62}")) {
                p.add(f + ".name", "must be lower_snake_case");
            } else if (!tools.add(t.name())) {
                p.add(f + ".name", "'" + t.name() + "' is declared twice");
            }
            p.function(f + ".handler", t.handler());
            if (t.inputSchema() != null && t.inputSchema().get("type") != null
                    && !"object".equals(t.inputSchema().get("type"))) {
                p.add(f + ".input_schema.type", "must be 'object'");
            }
        }
        PluginManifest.ResourceRequest r = m.resources();
        if (r != null) {
            if (r.memoryMb() != null && (r.memoryMb() < 1 || r.memoryMb() > 4096)) {
                p.add("resources.memory_mb", "must be between 1 and 4096");
            }
            p.duration("resources.call_timeout", r.callTimeout());
            p.duration("resources.init_timeout", r.initTimeout());
            p.duration("resources.shutdown_timeout", r.shutdownTimeout());
            if (r.maxFileStorageBytes() != null && r.maxFileStorageBytes() < 0) {
                p.add("resources.max_file_storage_bytes", "cannot be negative");
            }
            List<PluginManifest.PermissionRequest> permissions = r.permissions() == null ? List.of() : r.permissions();
            for (int i = 0; i < permissions.size(); i++) {
                PluginManifest.PermissionRequest q = permissions.get(i);
                String f = "resources.permissions[" + i + "]";
                if (q == null) {
                    p.add(f, "is empty");
                    continue;
                }
                p.oneOf(f + ".type", q.type(), PERMISSION_TYPES, false);
                p.oneOf(f + ".access", q.access(), ACCESS, true);
            }
        }
        return p.list;
    }

    /** Collects problems; the small checks shared by the sections. */
    private static final class Problems {
        final List<ManifestException.Problem> list = new ArrayList<>();

        void add(String field, String message) {
            list.add(new ManifestException.Problem(field, message));
        }

        void semver(String field, String value) {
            try {
                SemanticVersion.parse(value);
            } catch (IllegalArgumentException e) {
                add(field, e.getMessage());
            }
        }

        void function(String field, String value) {
            if (value == null || !FUNCTION.matcher(value).matches()) {
                add(field, "must name a function of the plugin (letters, digits, '_', '.', '-')");
            } else if (value.equals(GoatPlugin.HEALTH_PING)) {
                add(field, GoatPlugin.HEALTH_PING + " is reserved for the health check");
            }
        }

        void id(String field, String value, Set<String> seen) {
            if (value == null || !ID.matcher(value).matches()) {
                add(field, "must be lower-case letters, digits, '-' or '_'");
            } else if (!seen.add(value)) {
                add(field, "'" + value + "' is declared twice");
            }
        }

        void oneOf(String field, String value, Set<String> allowed, boolean optional) {
            if (value == null ? !optional : !allowed.contains(value)) {
                add(field, (value == null ? "is required" : "'" + value + "' is not allowed") + "; use one of "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }

        void duration(String field, String value) {
            if (value != null && !DURATION.matcher(value).matches()) {
                add(field, "must be a duration such as 500ms, 30s or 2m");
            }
        }

        /** Plugin paths: absolute, no '..', and never a parameter as the first segment (it would swallow routes). */
        void routePath(String field, String path) {
            if (path == null || !path.startsWith("/") || path.length() > 200) {
                add(field, "must start with '/' (at most 200 characters)");
                return;
            }
            if (path.contains("..") || path.contains("//") || path.chars().anyMatch(ch -> ch < 0x21 || ch == '\\')) {
                add(field, "must not contain '..', '//', spaces, control characters or backslashes");
            }
            String first = path.length() > 1 ? path.substring(1).split("/")[0] : "";
            if (first.startsWith("{") || first.startsWith(":") || first.equals("*")) {
                add(field, "must not start with a parameter or wildcard (it would swallow every other route)");
            }
        }

        void menu(String field, List<PluginManifest.MenuItem> items, int depth) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                PluginManifest.MenuItem item = items.get(i);
                String f = field + "[" + i + "]";
                if (item == null) {
                    add(f, "is empty");
                    continue;
                }
                id(f + ".id", item.id(), ids);
                if (item.label() == null || item.label().isBlank()) {
                    add(f + ".label", "is required");
                }
                if (item.path() == null || !item.path().startsWith("/") || item.path().contains("..")) {
                    add(f + ".path", "must start with '/' and not contain '..'");
                }
                if (depth == 0) {
                    oneOf(f + ".location", item.location(), MENU_LOCATIONS, false);
                }
                if (item.children() != null) {
                    if (depth >= 2) {
                        add(f + ".children", "menus nest at most three levels");
                    } else {
                        menu(f + ".children", item.children(), depth + 1);
                    }
                }
            }
        }
    }
}
