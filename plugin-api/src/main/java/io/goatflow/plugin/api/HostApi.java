package io.goatflow.plugin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed host calls for bundle plugins. Every method sends the same JSON a WASM plugin sends for that wire name
 * ({@link HostCalls}) through the plugin's {@link HostCallChannel}, so both kinds of plugins meet one dispatcher
 * and one sandbox. Calls that have no typed method yet go through {@link #call}.
 */
public final class HostApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };

    private final HostCallChannel channel;

    /** The outcome of {@link #httpRequest}. */
    public record HttpResult(int status, String body) {
    }

    public HostApi(HostCallChannel channel) {
        this.channel = channel;
    }

    /** A SELECT over the tables the plugin may read, with {@code ?} parameters; rows as column → value. */
    public List<Map<String, Object>> dbQuery(String sql, Object... args) {
        return convert(send(HostCalls.DB_QUERY, Map.of("query", sql, "args", Arrays.asList(args))), ROWS);
    }

    /** An INSERT, UPDATE or DELETE on tables the plugin may write; the number of rows affected. */
    public long dbExec(String sql, Object... args) {
        return send(HostCalls.DB_EXEC, Map.of("query", sql, "args", Arrays.asList(args))).path("affected").asLong();
    }

    /** The cached value under the plugin's own key (the host prefixes keys per plugin). */
    public Optional<String> cacheGet(String key) {
        JsonNode r = send(HostCalls.CACHE_GET, Map.of("key", key));
        return r.path("found").asBoolean(false) ? Optional.of(r.path("value").asText()) : Optional.empty();
    }

    public void cacheSet(String key, String value, Duration ttl) {
        send(HostCalls.CACHE_SET, Map.of("key", key, "value", value, "ttl", ttl.toSeconds()));
    }

    public void cacheDelete(String key) {
        send(HostCalls.CACHE_DELETE, Map.of("key", key));
    }

    /** An outbound HTTP request to a host the plugin's policy allows. */
    public HttpResult httpRequest(String method, String url, Map<String, String> headers, String body) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("method", method);
        args.put("url", url);
        args.put("headers", headers == null ? Map.of() : headers);
        if (body != null) {
            args.put("body", body);
        }
        JsonNode r = send(HostCalls.HTTP_REQUEST, args);
        return new HttpResult(r.path("status").asInt(), r.path("body").asText(""));
    }

    public void sendEmail(String to, String subject, String body, boolean html) {
        send(HostCalls.SEND_EMAIL, Map.of("to", to, "subject", subject, "body", body, "html", html));
    }

    /** A line in the plugin's log ({@code level} debug, info, warn or error). */
    public void log(String level, String message, Map<String, Object> fields) {
        send(HostCalls.LOG, Map.of("level", level, "message", message, "fields", fields == null ? Map.of() : fields));
    }

    /** A setting's effective value, if the plugin may read that key. */
    public Optional<JsonNode> configGet(String key) {
        JsonNode value = send(HostCalls.CONFIG_GET, Map.of("key", key)).path("value");
        return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** The plugin's text for {@code key} in English; see {@link #translateTo}. */
    public String translate(String key, Object... args) {
        return send(HostCalls.TRANSLATE, Map.of("key", key, "args", Arrays.asList(args))).path("value").asText(key);
    }

    /**
     * The plugin's text for {@code key} in {@code language} (falling back to the base language, then English), with
     * {@code {0}}, {@code {1}}… replaced by {@code args}. Route and widget calls carry the caller's language in
     * {@code _lang}.
     */
    public String translateTo(String language, String key, Object... args) {
        return send(HostCalls.TRANSLATE, Map.of("key", key, "args", Arrays.asList(args), "lang", language))
                .path("value").asText(key);
    }

    /** Calls another plugin's function; the host stamps this plugin as the caller. */
    public String pluginCall(String plugin, String function, String jsonArgs) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("plugin", plugin);
        args.put("function", function);
        args.put("args", parse(jsonArgs == null ? "{}" : jsonArgs));
        return channel.invoke(HostCalls.PLUGIN_CALL, write(args));
    }

    public void publishEvent(String channelName, String eventType, Map<String, Object> data) {
        send(HostCalls.PUBLISH_EVENT, Map.of("channel", channelName, "event_type", eventType, "data",
                data == null ? Map.of() : data));
    }

    public Instant timeNow() {
        return Instant.parse(send(HostCalls.TIME_NOW, Map.of()).path("now").asText());
    }

    /**
     * Values of this plugin's custom fields on one object, by name without the plugin prefix; all of them when
     * {@code fields} is empty. Unset fields are null.
     */
    public Map<String, Object> customFieldsGet(String entityType, long objectId, String... fields) {
        return convert(send(HostCalls.CUSTOM_FIELDS_GET, Map.of("entity_type", entityType, "object_id", objectId,
                "fields", Arrays.asList(fields))), new TypeReference<Map<String, Object>>() {
                });
    }

    /**
     * Sets this plugin's custom fields on one object in one transaction, all or nothing. A value is the new value,
     * null to clear, or an atomic operation such as {@code Map.of("op", "increment", "by", 1, "ceiling", 10)}
     * ({@code increment}, {@code append}, {@code remove}, {@code cas}, {@code toggle}). Returns the values after.
     */
    public Map<String, Object> customFieldsSet(String entityType, long objectId, Map<String, ?> values) {
        return convert(send(HostCalls.CUSTOM_FIELDS_SET, Map.of("entity_type", entityType, "object_id", objectId,
                "values", values)), new TypeReference<Map<String, Object>>() {
                });
    }

    /**
     * Ids of objects whose fields match every filter; a filter is {@code {"field", "op", "value", "value2"}} with op
     * eq, neq, gt, lt, gte, lte, like, in, between or near.
     */
    public List<Long> customFieldsQuery(String entityType, List<Map<String, Object>> filters) {
        return convert(send(HostCalls.CUSTOM_FIELDS_QUERY, Map.of("entity_type", entityType, "filters", filters))
                .path("ids"), new TypeReference<List<Long>>() {
                });
    }

    /** The organisation the current call acts for (0: none); this plugin's SQL sees only its rows. */
    public long orgId() {
        return send(HostCalls.ORG_ID, Map.of()).path("org_id").asLong();
    }

    /**
     * One of this plugin's secure settings (an API key, a webhook secret), decrypted: the value of the current
     * organisation, else the global one; empty when neither is set.
     */
    public Optional<String> secureConfigGet(String key) {
        JsonNode value = send(HostCalls.SECURE_CONFIG_GET, Map.of("key", key)).path("value");
        return value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** Stores one of this plugin's secure settings, encrypted, for the current organisation (global outside one). */
    public void secureConfigSet(String key, String value) {
        send(HostCalls.SECURE_CONFIG_SET, Map.of("key", key, "value", value));
    }

    /** Any host call by wire name, JSON in and out. */
    public String call(String wireName, String jsonArgs) {
        return channel.invoke(wireName, jsonArgs == null ? "{}" : jsonArgs);
    }

    private JsonNode send(String call, Map<String, ?> args) {
        return parse(channel.invoke(call, write(args)));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new HostCallException(HostCalls.INVALID_ARGUMENTS, "Arguments cannot be written as JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static JsonNode parse(String json) {
        try {
            return json == null || json.isBlank() ? JSON.nullNode() : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HostCallException(HostCalls.INVALID_ARGUMENTS, "Not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T convert(JsonNode node, TypeReference<T> type) {
        return JSON.convertValue(node, type);
    }
}
