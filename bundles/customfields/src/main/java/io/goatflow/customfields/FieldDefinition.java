package io.goatflow.customfields;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * A custom field of one entity type. {@code ownerType} is {@code admin}, {@code plugin} (then {@code ownerPlugin}
 * names it and {@code name} carries its {@code <plugin>_} prefix) or {@code legacy} (copied from an OTRS dynamic
 * field, {@code migratedFrom} its id). A field that is not {@code valid} is hidden: plugins that stop declaring a
 * field hide it, and its values are kept.
 */
public record FieldDefinition(long id, @JsonProperty("entity_type") String entityType, String name, String label,
        @JsonProperty("field_type") String fieldType, String section, int order, boolean required,
        @JsonProperty("customer_visible") boolean customerVisible, String description, String placeholder,
        Map<String, Object> config, @JsonProperty("owner_type") String ownerType,
        @JsonProperty("owner_plugin") String ownerPlugin, @JsonProperty("migrated_from") Long migratedFrom,
        boolean valid, @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

    public static final String OWNER_ADMIN = "admin";
    public static final String OWNER_PLUGIN = "plugin";
    public static final String OWNER_LEGACY = "legacy";

    public FieldType type() {
        return FieldType.of(fieldType).orElseThrow();
    }
}
