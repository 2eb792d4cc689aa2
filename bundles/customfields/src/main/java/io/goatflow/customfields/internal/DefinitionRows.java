package io.goatflow.customfields.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.persistence.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading {@code gk_custom_field_def}. */
final class DefinitionRows {
    static final String SELECT = "SELECT id, entity_type, name, label, field_type, section, field_order, required,"
            + " customer_visible, description, placeholder, config, owner_type, owner_plugin, migrated_from, valid_id,"
            + " create_time, change_time FROM gk_custom_field_def";
    static final String ORDER = " ORDER BY entity_type, COALESCE(section, ''), field_order, label, id";

    private DefinitionRows() {
    }

    static List<FieldDefinition> list(Connection c, String where, List<Object> params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(SELECT + (where.isEmpty() ? "" : " WHERE " + where) + ORDER)) {
            Jdbc.bind(q, params);
            List<FieldDefinition> result = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.add(row(rs));
                }
            }
            return result;
        }
    }

    static Optional<FieldDefinition> byId(Connection c, long id) throws SQLException {
        return list(c, "id = ?", Jdbc.params(id)).stream().findFirst();
    }

    private static FieldDefinition row(ResultSet rs) throws SQLException {
        Map<String, Object> config;
        try {
            String raw = rs.getString("config");
            config = raw == null || raw.isEmpty() ? Map.of()
                    : ValueCodec.JSON.readValue(raw, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            config = Map.of();
        }
        return new FieldDefinition(rs.getLong("id"), rs.getString("entity_type"), rs.getString("name"),
                rs.getString("label"), rs.getString("field_type"), rs.getString("section"), rs.getInt("field_order"),
                rs.getInt("required") == 1, rs.getInt("customer_visible") == 1, rs.getString("description"),
                rs.getString("placeholder"), config, rs.getString("owner_type"), rs.getString("owner_plugin"),
                Jdbc.nullableLong(rs, "migrated_from"), rs.getInt("valid_id") == 1,
                Jdbc.instant(rs, "create_time"), Jdbc.instant(rs, "change_time"));
    }
}
