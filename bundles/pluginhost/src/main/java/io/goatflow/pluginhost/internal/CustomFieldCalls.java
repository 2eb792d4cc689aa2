package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goatflow.customfields.CustomFieldService;
import io.goatflow.customfields.FieldFilter;
import io.goatflow.plugin.api.HostCallException;
import io.goatflow.plugin.api.HostCalls;
import io.goatflow.rest.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code custom_fields_get}, {@code _set} and {@code _query}: the plugin's own fields only (the service scopes them
 * by the plugin name the host stamped), with the service's errors passed on as host-call errors.
 */
final class CustomFieldCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<CustomFieldService> service;

    CustomFieldCalls(Supplier<CustomFieldService> service) {
        this.service = service;
    }

    /** One custom-field host call of {@code plugin}, acting for organisation {@code orgId} (0: none). */
    String call(String plugin, long orgId, String call, JsonNode args) {
        CustomFieldService fields = service.get();
        if (fields == null) {
            throw new HostCallException(HostCalls.NOT_AVAILABLE, call + ": custom fields are not available right now");
        }
        String entityType = args.path("entity_type").asText("");
        if (entityType.isEmpty()) {
            throw new HostCallException(HostCalls.INVALID_ARGUMENTS, call + ": entity_type is required");
        }
        try {
            switch (call) {
                case HostCalls.CUSTOM_FIELDS_GET -> {
                    List<String> names = new ArrayList<>();
                    args.path("fields").forEach(f -> names.add(f.asText()));
                    return JSON.writeValueAsString(fields.pluginValues(plugin, orgId, entityType, objectId(call, args),
                            names));
                }
                case HostCalls.CUSTOM_FIELDS_SET -> {
                    JsonNode values = args.path("values");
                    if (!values.isObject()) {
                        throw new HostCallException(HostCalls.INVALID_ARGUMENTS, call
                                + ": values must be an object of field name to value");
                    }
                    Map<String, JsonNode> changes = new LinkedHashMap<>();
                    values.fields().forEachRemaining(e -> changes.put(e.getKey(), e.getValue()));
                    return JSON.writeValueAsString(fields.setPluginValues(plugin, orgId, entityType, objectId(call, args),
                            changes));
                }
                default -> {
                    List<FieldFilter> filters = new ArrayList<>();
                    for (JsonNode f : args.path("filters")) {
                        filters.add(new FieldFilter(f.path("field").asText(null), f.path("op").asText(null),
                                f.get("value"), f.get("value2")));
                    }
                    int limit = args.path("limit").asInt(1000);
                    return JSON.writeValueAsString(fields.pluginQuery(plugin, orgId, entityType, filters, limit));
                }
            }
        } catch (ApiException e) {
            String detail = e.fields().isEmpty() ? e.getMessage() : e.fields().toString();
            throw new HostCallException(e.code().toLowerCase(Locale.ROOT), call + ": " + detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HostCallException("custom_fields_failed", call + ": " + e.getOriginalMessage());
        }
    }

    private static long objectId(String call, JsonNode args) {
        JsonNode id = args.path("object_id");
        if (!id.canConvertToLong() || !id.isIntegralNumber()) {
            throw new HostCallException(HostCalls.INVALID_ARGUMENTS, call + ": object_id must be a number");
        }
        return id.asLong();
    }
}
