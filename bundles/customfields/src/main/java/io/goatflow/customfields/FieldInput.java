package io.goatflow.customfields;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What an admin (REST, console) or a plugin manifest says about a field. On update, null members keep their
 * value; {@code entityType} and {@code name} cannot change.
 */
public record FieldInput(@JsonProperty("entity_type") String entityType, String name, String label,
        @JsonProperty("field_type") String fieldType, String section, Integer order, Boolean required,
        @JsonProperty("customer_visible") Boolean customerVisible, String description, String placeholder,
        Map<String, Object> config, Boolean valid) {
}
