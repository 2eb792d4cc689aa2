package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.mail.MailSender;
import io.goatflow.mail.OutgoingMail;
import io.goatflow.plugin.api.HostCallChannel;
import io.goatflow.plugin.api.HostCallException;
import io.goatflow.plugin.api.HostCalls;
import io.goatflow.plugin.api.PluginCallException;
import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.securesettings.SecureSettings;
import io.goatflow.securesettings.SecureValueUnreadableException;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.ConfigScope;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import io.goatflow.customfields.CustomFieldService;
import java.util.regex.Pattern;

/**
 * The one host-call dispatcher: every host call of every plugin, bundle or WASM, arrives here by wire name with
 * the calling plugin stamped by the host (never taken from the arguments). Calls whose areas are not built yet
 * answer {@link HostCalls#NOT_AVAILABLE}; refusals answer {@link HostCalls#DENIED} and are logged for the plugin.
 */
final class HostCallDispatcher {
    static final int MAX_DEPTH = 10;
    /** The setting that limits plugin mail, and its default (messages a minute per plugin, on all instances). */
    static final String EMAIL_LIMIT_SETTING = "Plugin::Email::PerMinute";
    static final long EMAIL_PER_MINUTE = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Settings plugins may never read, whatever their policy (secrets and infrastructure). */
    private static final Pattern DENIED_CONFIG = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|private|apikey|api_key|\\bkey\\b|::key|auth|ldap|smtp"
                    + "|aws|gcp|azure|database|db::|dsn).*");
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");
    /** Tables whose rows belong to an organisation (each carries org_id); plugin SQL sees one organisation's rows. */
    static final Set<String> ORG_AWARE_TABLES = Set.of("ticket", "article", "article_data_mime",
            "article_data_mime_attachment", "ticket_history");

    /** What the dispatcher needs from the plugin host. */
    interface Plugins {
        /** Calls another plugin's function on behalf of {@code caller}; empty result when the plugin is unknown. */
        String call(String caller, String plugin, String function, String jsonArgs, int depth)
                throws PluginCallException;

        /** What the plugin's manifest grants it. */
        PluginPolicy policy(String plugin);

        /** The plugin's manifest, or null when it is unknown. */
        PluginManifest manifest(String plugin);

        /** Whether {@code table} is named after another loaded plugin ({@code <other>_…}). */
        boolean foreignTable(String plugin, String table);
    }

    private final PluginLogs logs;
    private final Supplier<ConfigGet> config;
    private final Plugins plugins;
    private final Database database;
    private final CacheCalls cache;
    private final HttpCalls http = new HttpCalls();
    private final MailCalls mailCalls;
    private final Supplier<MailSender> mail;
    private final CustomFieldCalls customFields;
    private final Supplier<SecureSettings> secure;
    private final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);
    /**
     * The organisation the current plugin call acts for, set by the host around each call it makes for a request;
     * calls made for nobody (health pings, jobs) act outside every organisation. Host calls run on the thread of the
     * plugin call (bundle plugins call back synchronously; WASM host functions run inside the call), and a nested
     * plugin_call keeps it.
     */
    private final ThreadLocal<CallScope> scope = ThreadLocal.withInitial(() -> CallScope.NONE);

    /**
     * For whom a plugin call runs: the organisation, and whether it may change global (all-organisation) secrets,
     * which only administrators and GoatFlow itself may. Host calls on a thread outside any plugin call can only come
     * from a bundle plugin's own threads (WASM modules have none); bundle plugins are code trusted into the JVM, and
     * such work is the plugin's own, done for GoatFlow itself outside every organisation, like a health ping.
     */
    record CallScope(long orgId, boolean mayWriteGlobal) {
        static final CallScope NONE = new CallScope(0, true);
    }

    HostCallDispatcher(PluginLogs logs, Supplier<ConfigGet> config, Plugins plugins, Database database,
            Supplier<MailSender> mail, Supplier<CustomFieldService> customFields, Supplier<SecureSettings> secure) {
        this.logs = logs;
        this.config = config;
        this.plugins = plugins;
        this.database = database;
        this.cache = database == null ? null : new CacheCalls(database);
        this.mailCalls = database == null ? null : new MailCalls(database);
        this.mail = mail;
        this.customFields = new CustomFieldCalls(customFields);
        this.secure = secure;
    }

    /** The channel of one plugin: its identity is fixed here. */
    HostCallChannel channelFor(String plugin) {
        return (call, jsonArgs) -> dispatch(plugin, call, jsonArgs);
    }

    /** Runs a plugin call for {@code callScope}; host calls made during it are limited to its organisation. */
    <T> T inScope(CallScope callScope, PluginWork<T> work) throws PluginCallException {
        CallScope previous = scope.get();
        scope.set(callScope);
        try {
            return work.run();
        } finally {
            scope.set(previous);
        }
    }

    /** A plugin call made on behalf of an organisation. */
    @FunctionalInterface
    interface PluginWork<T> {
        T run() throws PluginCallException;
    }

    /** The scope of the plugin call running on this thread. */
    CallScope scope() {
        return scope.get();
    }

    /** Current plugin-call depth on this thread (0 outside plugin-to-plugin calls). */
    int depth() {
        return depth.get();
    }

    String dispatch(String plugin, String call, String jsonArgs) {
        JsonNode args;
        try {
            args = jsonArgs == null || jsonArgs.isBlank() ? JSON.createObjectNode() : JSON.readTree(jsonArgs);
        } catch (JsonProcessingException e) {
            // the parser quotes the text it choked on, which for secure settings may be the secret itself
            boolean secret = call != null && call.startsWith("secure_config");
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, call + ": arguments are not valid JSON"
                    + (e.getLocation() == null || secret ? "" : " (column " + e.getLocation().getColumnNr() + ": "
                            + e.getOriginalMessage().lines().findFirst().orElse("") + ")"));
        }
        if (!args.isObject()) {
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, call + ": arguments must be a JSON object");
        }
        switch (call == null ? "" : call) {
            case HostCalls.LOG:
                return log(plugin, args);
            case HostCalls.SECURE_CONFIG_GET:
            case HostCalls.SECURE_CONFIG_SET:
                return secureConfig(plugin, call, args);
            case HostCalls.ORG_ID:
                return "{\"org_id\":" + scope.get().orgId() + "}";
            case HostCalls.TIME_NOW:
                return write(Map.of("now", Instant.now().toString()));
            case HostCalls.CONFIG_GET:
                return configGet(plugin, args);
            case HostCalls.PLUGIN_CALL:
                return pluginCall(plugin, args);
            case HostCalls.DB_QUERY:
                return db(plugin, args, SqlSandbox.Kind.READ);
            case HostCalls.DB_EXEC:
                return db(plugin, args, SqlSandbox.Kind.WRITE);
            case HostCalls.CACHE_GET:
            case HostCalls.CACHE_SET:
            case HostCalls.CACHE_DELETE:
                return cache(plugin, call, args);
            case HostCalls.HTTP_REQUEST:
                return httpRequest(plugin, args);
            case HostCalls.TRANSLATE:
                return translate(plugin, args);
            case HostCalls.SEND_EMAIL:
                return sendEmail(plugin, args);
            case HostCalls.CUSTOM_FIELDS_GET:
            case HostCalls.CUSTOM_FIELDS_SET:
            case HostCalls.CUSTOM_FIELDS_QUERY:
                try {
                    return customFields.call(plugin, scope.get().orgId(), call, args);
                } catch (HostCallException e) {
                    logs.add(plugin, "warn", "host call failed: " + e.getMessage());
                    throw e;
                }
            default:
                if (HostCalls.ALL.contains(call)) {
                    throw new HostCallException(HostCalls.NOT_AVAILABLE, "The host call '" + call
                            + "' is not available in this GoatFlow yet");
                }
                throw refuse(plugin, HostCalls.UNKNOWN_CALL, "unknown host API method: " + call);
        }
    }

    private String log(String plugin, JsonNode args) {
        String level = args.path("level").asText("info").toLowerCase(Locale.ROOT);
        String message = args.path("message").asText("");
        JsonNode fields = args.path("fields");
        logs.add(plugin, LEVELS.contains(level) ? level : "info",
                message + (fields.isObject() && fields.size() > 0 ? " " + fields : ""));
        return "{\"ok\":true}";
    }

    private String configGet(String plugin, JsonNode args) {
        String key = args.path("key").asText("");
        if (key.isEmpty()) {
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, "config_get: key is required");
        }
        if (DENIED_CONFIG.matcher(key).matches()) {
            throw refuse(plugin, HostCalls.DENIED, "config_get: the setting '" + key + "' is not readable by plugins");
        }
        ConfigGet current = config.get();
        if (current == null) {
            throw new HostCallException(HostCalls.NOT_AVAILABLE, "Settings are restarting; try again shortly");
        }
        ObjectNode result = JSON.createObjectNode();
        // the organisation the call acts for sees its own overrides, through the same cascade as core
        long orgId = scope.get().orgId();
        ConfigScope configScope = orgId > 0 ? ConfigScope.org(orgId) : ConfigScope.SYSTEM;
        result.set("value", JSON.valueToTree(current.setting(key, configScope).map(s -> s.value()).orElse(null)));
        return result.toString();
    }

    /**
     * The plugin's own secrets, in its namespace: read in the call's organisation, falling back to the global value;
     * written for the call's organisation (global outside one). Values never reach the plugin log.
     */
    private String secureConfig(String plugin, String call, JsonNode args) {
        SecureSettings settings = secure.get();
        if (settings == null) {
            throw new HostCallException(HostCalls.NOT_AVAILABLE, call + ": secure settings are not available");
        }
        String key = args.path("key").asText("");
        String namespace = plugin.toLowerCase(Locale.ROOT);
        CallScope callScope = scope.get();
        long orgId = callScope.orgId();
        if (orgId < 0) {
            throw refuse(plugin, HostCalls.DENIED, call + ": secure settings are not reachable for callers locked out"
                    + " of their organisations");
        }
        try {
            if (HostCalls.SECURE_CONFIG_GET.equals(call)) {
                ObjectNode result = JSON.createObjectNode();
                result.put("value", settings.get(namespace, key, orgId).orElse(null));
                return result.toString();
            }
            JsonNode value = args.path("value");
            if (!value.isTextual()) {
                throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, call + ": value must be a string");
            }
            if (orgId == 0 && !callScope.mayWriteGlobal()) {
                // the global value is every organisation's fallback: nobody outside an organisation but an
                // administrator or GoatFlow itself may replace it
                throw refuse(plugin, HostCalls.DENIED, call + ": only administrators change the global value; act"
                        + " in an organisation to set its own");
            }
            settings.set(namespace, key, orgId, value.textValue(), 0);
            logs.add(plugin, "info", "secure setting '" + key + "' changed" + (orgId == 0 ? "" : " for org " + orgId));
            return "{\"ok\":true}";
        } catch (IllegalArgumentException e) {
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, call + ": " + e.getMessage());
        } catch (SecureValueUnreadableException e) {
            logs.add(plugin, "error", call + ": the stored value of '" + key + "' cannot be decrypted (wrong key or"
                    + " tampered)");
            throw new HostCallException("secure_value_unreadable", call + ": the stored value cannot be decrypted");
        } catch (DataAccessException e) {
            throw new HostCallException("secure_config_failed", call + ": " + DatabaseCalls.describe(e));
        }
    }

    private String db(String plugin, JsonNode args, SqlSandbox.Kind kind) {
        String call = kind == SqlSandbox.Kind.READ ? HostCalls.DB_QUERY : HostCalls.DB_EXEC;
        if (database == null) {
            throw new HostCallException(HostCalls.NOT_AVAILABLE, call + ": the database is not available");
        }
        PluginPolicy policy = plugins.policy(plugin);
        String sql = args.path("query").asText("");
        List<Object> params;
        try {
            SqlSandbox.check(sql, kind, DatabaseCalls.tables(policy.readTables()),
                    DatabaseCalls.tables(policy.writeTables()), t -> plugins.foreignTable(plugin, t));
            // the plugin acts for one organisation: its statement is confined to that organisation's rows
            sql = OrgScopedSql.rewrite(sql, ORG_AWARE_TABLES::contains, scope.get().orgId());
            params = DatabaseCalls.params(args);
        } catch (SqlSandbox.Refused e) {
            throw refuse(plugin, HostCalls.DENIED, call + ": " + e.getMessage());
        }
        try {
            if (kind == SqlSandbox.Kind.READ) {
                return DatabaseCalls.query(database, sql, params).toString();
            }
            return "{\"affected\":" + DatabaseCalls.exec(database, sql, params) + "}";
        } catch (DataAccessException e) {
            String message = call + ": " + DatabaseCalls.describe(e);
            logs.add(plugin, "warn", message);
            throw new HostCallException("db_failed", message);
        }
    }

    private String cache(String plugin, String call, JsonNode args) {
        if (!plugins.policy(plugin).cache()) {
            throw refuse(plugin, HostCalls.DENIED, call + ": this plugin has no cache permission");
        }
        if (cache == null) {
            throw new HostCallException(HostCalls.NOT_AVAILABLE, call + ": the cache is not available");
        }
        String key = args.path("key").asText("");
        if (key.isEmpty() || key.length() > CacheCalls.MAX_KEY) {
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, call + ": key must have 1 to " + CacheCalls.MAX_KEY
                    + " characters");
        }
        try {
            switch (call) {
                case HostCalls.CACHE_GET:
                    return cache.get(plugin, scope.get().orgId(), key);
                case HostCalls.CACHE_SET:
                    JsonNode value = args.path("value");
                    if (value.isMissingNode()) {
                        throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, "cache_set: value is required");
                    }
                    String text = CacheCalls.text(value);
                    if (text.length() > CacheCalls.MAX_VALUE) {
                        throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, "cache_set: value is larger than "
                                + CacheCalls.MAX_VALUE + " characters");
                    }
                    cache.set(plugin, scope.get().orgId(), key, text, Math.max(0, args.path("ttl").asLong(0)));
                    return "{\"ok\":true}";
                default:
                    cache.delete(plugin, scope.get().orgId(), key);
                    return "{\"ok\":true}";
            }
        } catch (DataAccessException e) {
            throw new HostCallException("cache_failed", call + ": " + DatabaseCalls.describe(e));
        }
    }

    private String httpRequest(String plugin, JsonNode args) {
        try {
            return http.request(plugins.policy(plugin).httpHosts(), args);
        } catch (HostCallException e) {
            logs.add(plugin, "warn", (HostCalls.DENIED.equals(e.code()) ? "host call refused: "
                    : "host call failed: ") + e.getMessage());
            throw e;
        }
    }

    private String sendEmail(String plugin, JsonNode args) {
        PluginPolicy policy = plugins.policy(plugin);
        if (!policy.email()) {
            throw refuse(plugin, HostCalls.DENIED, "send_email: this plugin has no email permission");
        }
        OutgoingMail message;
        try {
            message = MailCalls.message(args, policy);
        } catch (SqlSandbox.Refused e) {
            throw refuse(plugin, e.getMessage().contains("is required") ? HostCalls.INVALID_ARGUMENTS
                    : HostCalls.DENIED, e.getMessage());
        }
        MailSender sender = mail.get();
        if (sender == null || !sender.configured() || mailCalls == null) {
            throw new HostCallException(HostCalls.NOT_AVAILABLE, "send_email: mail is not configured on this"
                    + " GoatFlow");
        }
        ConfigGet settings = config.get();
        long perMinute = settings == null ? EMAIL_PER_MINUTE : settings.number(EMAIL_LIMIT_SETTING, EMAIL_PER_MINUTE);
        try {
            mailCalls.send(plugin, message, sender, perMinute);
        } catch (HostCallException e) {
            logs.add(plugin, "warn", (HostCalls.DENIED.equals(e.code()) ? "host call refused: "
                    : "host call failed: ") + e.getMessage());
            throw e;
        } catch (DataAccessException e) {
            throw new HostCallException("mail_failed", "send_email: " + DatabaseCalls.describe(e));
        }
        logs.add(plugin, "info", "mail sent to " + String.join(", ", message.to()));
        return "{\"ok\":true}";
    }

    /** {@code {key, args, lang}}: the plugin's own texts; {@code args} an array ({0}…) or an object ({name}). */
    private String translate(String plugin, JsonNode args) {
        String key = args.path("key").asText("");
        if (key.isEmpty()) {
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, "translate: key is required");
        }
        JsonNode values = args.path("args");
        List<Object> positional = values.isArray() ? JSON.convertValue(values, List.class) : List.of();
        Map<String, Object> named = values.isObject() ? JSON.convertValue(values, Map.class) : Map.of();
        String language = args.path("lang").asText(PluginTranslations.DEFAULT_LANGUAGE);
        ObjectNode result = JSON.createObjectNode();
        result.put("value", PluginTranslations.text(plugins.manifest(plugin), key, language, positional, named));
        return result.toString();
    }

    private String pluginCall(String plugin, JsonNode args) {
        String target = args.path("plugin").asText("");
        String function = args.path("function").asText("");
        if (target.isEmpty() || function.isEmpty()) {
            throw refuse(plugin, HostCalls.INVALID_ARGUMENTS, "plugin_call: plugin and function are required");
        }
        if (!target.equals(plugin) && !PluginPolicy.matches(plugins.policy(plugin).pluginCalls(), target)) {
            throw refuse(plugin, HostCalls.DENIED, "plugin_call: '" + target + "' is neither required by this"
                    + " plugin nor granted by a plugin_call permission");
        }
        int current = depth.get();
        if (current >= MAX_DEPTH) {
            throw refuse(plugin, HostCalls.DENIED, "plugin_call: call depth " + MAX_DEPTH + " reached ("
                    + plugin + " -> " + target + ")");
        }
        JsonNode callArgs = args.path("args");
        if (callArgs.isObject()) {
            ObjectNode stamped = ((ObjectNode) callArgs).deepCopy();
            PluginManifest targetManifest = plugins.manifest(target);
            if (targetManifest == null || !targetManifest.skipsOrgInjection()) {
                // the called plugin acts for the same organisation; the caller cannot name another one
                stamped.put("_org_id", Math.max(0, scope.get().orgId()));
            } else {
                stamped.remove("_org_id");
            }
            callArgs = stamped;
        }
        depth.set(current + 1);
        try {
            return plugins.call(plugin, target, function, callArgs.isMissingNode() ? "{}" : callArgs.toString(),
                    current + 1);
        } catch (PluginCallException e) {
            throw new HostCallException(e.code(), target + ": " + e.getMessage());
        } finally {
            depth.set(current);
        }
    }

    private HostCallException refuse(String plugin, String code, String message) {
        logs.add(plugin, "warn", "host call refused: " + message);
        return new HostCallException(code, message);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
