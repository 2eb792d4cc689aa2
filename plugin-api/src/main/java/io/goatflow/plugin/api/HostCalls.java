package io.goatflow.plugin.api;

import java.util.Set;

/**
 * The wire names of host calls, as in the original GoatKit: WASM plugins send them through the {@code host_call}
 * import, bundle plugins through {@link HostApi}; one dispatcher in the host serves both. Calls of areas that are
 * not installed answer a {@link HostCallException} with code {@value #NOT_AVAILABLE}.
 */
public final class HostCalls {
    public static final String DB_QUERY = "db_query";
    public static final String DB_EXEC = "db_exec";
    public static final String CACHE_GET = "cache_get";
    public static final String CACHE_SET = "cache_set";
    public static final String CACHE_DELETE = "cache_delete";
    public static final String HTTP_REQUEST = "http_request";
    public static final String SEND_EMAIL = "send_email";
    public static final String LOG = "log";
    public static final String CONFIG_GET = "config_get";
    public static final String TRANSLATE = "translate";
    public static final String PLUGIN_CALL = "plugin_call";
    public static final String PUBLISH_EVENT = "publish_event";
    public static final String TIME_NOW = "time_now";
    public static final String SECURE_CONFIG_GET = "secure_config_get";
    public static final String SECURE_CONFIG_SET = "secure_config_set";
    public static final String ORG_ID = "org_id";
    public static final String CUSTOM_FIELDS_GET = "custom_fields_get";
    public static final String CUSTOM_FIELDS_SET = "custom_fields_set";
    public static final String CUSTOM_FIELDS_QUERY = "custom_fields_query";
    public static final String ENTITY_SOFT_DELETE = "entity_soft_delete";
    public static final String ENTITY_RESTORE = "entity_restore";
    public static final String ENTITY_HARD_DELETE = "entity_hard_delete";

    /** Error code of a call whose area is not installed (yet). */
    public static final String NOT_AVAILABLE = "not_available";
    /** Error code of a call the plugin's sandbox refused. */
    public static final String DENIED = "denied";
    /** Error code of a call with missing or malformed arguments. */
    public static final String INVALID_ARGUMENTS = "invalid_arguments";
    /** Error code of a name the host does not know at all. */
    public static final String UNKNOWN_CALL = "unknown_call";

    /** Every wire name the SDK knows. */
    public static final Set<String> ALL = Set.of(DB_QUERY, DB_EXEC, CACHE_GET, CACHE_SET, CACHE_DELETE, HTTP_REQUEST,
            SEND_EMAIL, LOG, CONFIG_GET, TRANSLATE, PLUGIN_CALL, PUBLISH_EVENT, TIME_NOW, SECURE_CONFIG_GET,
            SECURE_CONFIG_SET, ORG_ID, CUSTOM_FIELDS_GET, CUSTOM_FIELDS_SET, CUSTOM_FIELDS_QUERY, ENTITY_SOFT_DELETE,
            ENTITY_RESTORE, ENTITY_HARD_DELETE);

    private HostCalls() {
    }
}
