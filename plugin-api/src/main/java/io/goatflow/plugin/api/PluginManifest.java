package io.goatflow.plugin.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a plugin declares about itself: identity, what it needs ({@code requires}, {@code min_host_version},
 * {@code resources}) and what it adds to GoatFlow (routes, menu items, widgets, jobs, templates, translations,
 * error codes, groups, custom fields, UIs, cascade handlers, MCP tools). The JSON form uses the snake_case names
 * of the original GoatKit registration; {@link Manifests} reads and validates it. Lists and maps may be absent
 * (meaning empty). Handlers name functions the host calls through {@link GoatPlugin#call}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PluginManifest(
        String name,
        String version,
        String description,
        String author,
        @JsonAlias("license") String licence,
        String homepage,
        List<Requirement> requires,
        @JsonProperty("min_host_version") String minHostVersion,
        List<Route> routes,
        @JsonProperty("menu_items") List<MenuItem> menuItems,
        List<Widget> widgets,
        List<Job> jobs,
        List<Template> templates,
        I18n i18n,
        @JsonProperty("error_codes") List<ErrorCode> errorCodes,
        List<Group> groups,
        @JsonProperty("custom_fields") List<CustomField> customFields,
        List<Ui> uis,
        List<Cascade> cascades,
        @JsonProperty("mcp_tools") List<McpTool> mcpTools,
        ResourceRequest resources,
        @JsonProperty("skip_org_injection") Boolean skipOrgInjection) {

    /** Another plugin this one needs, with the versions it works with ({@link VersionRange} syntax). */
    public record Requirement(String name, String version) {
    }

    /**
     * An HTTP route, mounted at {@code /api/plugins/<plugin><path>}. {@code middleware}: {@code auth} (any logged-in
     * caller, the default), {@code agent}, {@code admin}, {@code group:<name>}, {@code webhook}, {@code none}.
     */
    public record Route(String method, String path, String handler, List<String> middleware, String description) {
    }

    /** An entry of a navigation menu; {@code location} is admin, agent or customer. */
    public record MenuItem(String id, String label, String icon, String path, String location, String parent,
            Integer order, List<MenuItem> children) {
    }

    /** A dashboard widget; {@code location} agent_home, admin_home or dashboard; {@code size} small..full. */
    public record Widget(String id, String title, String description, String handler, String location, String size,
            Integer order, Boolean refreshable, @JsonProperty("refresh_sec") Integer refreshSec) {
    }

    /** A scheduled job: a cron {@code schedule} (5 fields) and a {@code timeout} such as {@code 30s}. */
    public record Job(String id, String handler, String schedule, String description, Boolean enabled,
            String timeout) {
    }

    /** A server-side template the plugin ships ({@code override} replaces a core template of that name). */
    public record Template(String name, String path, Boolean override) {
    }

    /** Translations: {@code translations} maps a language code to keys and texts. */
    public record I18n(String namespace, List<String> languages, Map<String, Map<String, String>> translations) {
    }

    /** An error the plugin reports, shown to callers as {@code <plugin>:<code>} with this HTTP status. */
    public record ErrorCode(String code, String message, @JsonProperty("http_status") Integer httpStatus) {
    }

    /** A group created when the plugin loads. */
    public record Group(String name, String description) {
    }

    /** A custom field; its stored name gets the prefix {@code <plugin>_}. */
    public record CustomField(String name, String label, @JsonProperty("entity_type") String entityType,
            @JsonProperty("field_type") String fieldType, String section, Integer order, Boolean required,
            String description, String placeholder, Map<String, Object> config) {
    }

    /** A plugin UI, mounted under {@code /ui/<plugin>_<id>/}. */
    public record Ui(String id, String name, String description, String type, String icon, String shell,
            List<UiRoute> routes, Map<String, Object> nav, Map<String, Object> branding, Map<String, Object> auth,
            Map<String, Object> pwa, @JsonProperty("data_scope") String dataScope,
            @JsonProperty("rate_limit") Integer rateLimit) {
    }

    /** A route of a plugin UI. */
    public record UiRoute(String path, String method, String handler) {
    }

    /** Handlers called when an entity of {@code entity_type} is soft- or hard-deleted. */
    public record Cascade(@JsonProperty("entity_type") String entityType,
            @JsonProperty("on_soft_delete") String onSoftDelete, @JsonProperty("on_hard_delete") String onHardDelete) {
    }

    /** A tool offered to AI clients over MCP; {@code input_schema} is a JSON Schema object. */
    public record McpTool(String name, String description, String handler,
            @JsonProperty("input_schema") Map<String, Object> inputSchema) {
    }

    /** What the plugin asks the host for; the admin's policy may grant less. */
    public record ResourceRequest(@JsonProperty("memory_mb") Integer memoryMb,
            @JsonProperty("call_timeout") String callTimeout, @JsonProperty("init_timeout") String initTimeout,
            @JsonProperty("shutdown_timeout") String shutdownTimeout, List<PermissionRequest> permissions,
            @JsonProperty("max_file_storage_bytes") Long maxFileStorageBytes) {
    }

    /**
     * One permission: {@code type} db, cache, http, email, config or plugin_call; {@code access} read, write or
     * readwrite; {@code scope} tables, host patterns, recipient domains, config keys or plugin names.
     */
    public record PermissionRequest(String type, String access, List<String> scope) {
    }

    public List<Requirement> requires() {
        return requires == null ? List.of() : requires;
    }

    public List<Route> routes() {
        return routes == null ? List.of() : routes;
    }

    @JsonProperty("menu_items")
    public List<MenuItem> menuItems() {
        return menuItems == null ? List.of() : menuItems;
    }

    public List<Widget> widgets() {
        return widgets == null ? List.of() : widgets;
    }

    public List<Job> jobs() {
        return jobs == null ? List.of() : jobs;
    }

    public List<Template> templates() {
        return templates == null ? List.of() : templates;
    }

    @JsonProperty("error_codes")
    public List<ErrorCode> errorCodes() {
        return errorCodes == null ? List.of() : errorCodes;
    }

    public List<Group> groups() {
        return groups == null ? List.of() : groups;
    }

    @JsonProperty("custom_fields")
    public List<CustomField> customFields() {
        return customFields == null ? List.of() : customFields;
    }

    public List<Ui> uis() {
        return uis == null ? List.of() : uis;
    }

    public List<Cascade> cascades() {
        return cascades == null ? List.of() : cascades;
    }

    @JsonProperty("mcp_tools")
    public List<McpTool> mcpTools() {
        return mcpTools == null ? List.of() : mcpTools;
    }

    /** Whether the host should leave {@code _org_id} out of call arguments. */
    public boolean skipsOrgInjection() {
        return Boolean.TRUE.equals(skipOrgInjection);
    }
}
