package io.goatflow.customfields;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.rest.Caller;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Custom fields of every entity type. Values are JSON: strings, numbers, booleans, {@code "YYYY-MM-DD"} dates,
 * ISO-8601 date-times, arrays (multi-select), {@code {"lat","lng"}} points, GeoJSON polygons and
 * {@code {"street","city","postcode","region","country"}} addresses.
 *
 * <p>Calls with a {@link Caller} apply the owning area's rules: an object the caller may not see is a 404, and
 * customers see only customer-visible fields. Calls for a plugin see only that plugin's fields, by their names
 * without the {@code <plugin>_} prefix.
 */
@ProviderType
public interface CustomFieldService {
    /** The entity types fields can be defined on. */
    List<String> ENTITY_TYPES = List.of("ticket", "article", "contact", "agent", "queue", "group", "organisation");

    /** Definitions, ordered by entity type, section, order and label; hidden ones only with {@code withHidden}. */
    List<FieldDefinition> definitions(String entityType, boolean withHidden);

    Optional<FieldDefinition> definition(long id);

    /** Admin: creates an admin-owned definition; validates the type's configuration. */
    FieldDefinition create(FieldInput input);

    /** Admin: changes a definition (type changes only while no values exist); plugin-owned ones are refused. */
    FieldDefinition update(long id, FieldInput input);

    /** Admin: deletes an admin- or legacy-owned definition with its values. */
    void delete(long id);

    /** The values of one object, by field name. */
    Map<String, Object> values(Caller caller, String entityType, long objectId);

    /**
     * The values of several objects (a page of a list, at most 500), by object id then field name. Objects that do
     * not exist or that the caller may not see are left out rather than refused, so one hidden row does not break
     * a list.
     */
    Map<Long, Map<String, Object>> values(Caller caller, String entityType, Collection<Long> objectIds);

    /**
     * Sets values of one object in one transaction: a value, null to clear, or an atomic operation
     * {@code {"op":"increment","by":n,"floor":f,"ceiling":c}}, {@code append}, {@code remove},
     * {@code {"op":"cas","expect":x,"value":y}} or {@code toggle}. Every value is validated first; nothing is written
     * unless all are valid. Returns the object's values afterwards.
     */
    Map<String, Object> setValues(Caller caller, String entityType, long objectId, Map<String, JsonNode> values);

    /** Ids of objects of {@code entityType} that match every filter and that the caller may see. */
    QueryResult query(Caller caller, String entityType, List<FieldFilter> filters, int limit);

    /**
     * Plugin side: the named fields of the plugin ({@code fields} empty: all of them), prefix stripped, of an object
     * of the organisation the plugin acts for (another organisation's object does not exist for it).
     */
    Map<String, Object> pluginValues(String plugin, long orgId, String entityType, long objectId,
            List<String> fields);

    /** Plugin side of {@link #setValues}, on the plugin's own fields, within the organisation it acts for. */
    Map<String, Object> setPluginValues(String plugin, long orgId, String entityType, long objectId,
            Map<String, JsonNode> values);

    /** Plugin side of {@link #query}, on the plugin's own fields, within the organisation it acts for. */
    QueryResult pluginQuery(String plugin, long orgId, String entityType, List<FieldFilter> filters, int limit);

    /** {@link #pluginValues(String, long, String, long, List)} outside every organisation. */
    default Map<String, Object> pluginValues(String plugin, String entityType, long objectId, List<String> fields) {
        return pluginValues(plugin, 0, entityType, objectId, fields);
    }

    /** {@link #setPluginValues(String, long, String, long, Map)} outside every organisation. */
    default Map<String, Object> setPluginValues(String plugin, String entityType, long objectId,
            Map<String, JsonNode> values) {
        return setPluginValues(plugin, 0, entityType, objectId, values);
    }

    /** {@link #pluginQuery(String, long, String, List, int)} outside every organisation. */
    default QueryResult pluginQuery(String plugin, String entityType, List<FieldFilter> filters, int limit) {
        return pluginQuery(plugin, 0, entityType, filters, limit);
    }

    /**
     * Applies a plugin manifest's fields: creates or updates {@code <plugin>_<name>} definitions and hides the
     * plugin's fields it no longer declares (their values are kept). Invalid declarations are skipped and returned
     * as messages.
     */
    List<String> declare(String plugin, List<FieldInput> fields);
}
