package io.goatflow.customfields.internal;

import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldInput;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies OTRS dynamic fields ({@code dynamic_field}, {@code dynamic_field_value}) of a migrated database into custom
 * fields when the bundle starts. The OTRS tables are left as they are. A definition is copied once (it remembers
 * its source in {@code migrated_from}); values are copied only where the custom field has none yet, so running again
 * adds what is new in OTRS and never overwrites what agents changed since.
 */
@Component(immediate = true, service = {})
public final class LegacyDynamicFields {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyDynamicFields.class);
    private static final Map<String, String> OBJECTS = Map.of("Ticket", "ticket", "Article", "article",
            "CustomerUser", "contact");
    private static final Map<String, String> TYPES = Map.of("Text", "text", "TextArea", "textarea", "Checkbox",
            "boolean", "Dropdown", "select", "Multiselect", "multi_select", "Date", "date", "DateTime", "datetime");

    /** What one run copied. */
    record Report(int fields, int values, List<String> skipped) {
    }

    private final Database database;

    @Activate
    public LegacyDynamicFields(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.customfields)") SchemaReady schema) {
        this.database = database;
        try {
            Report report = copy();
            if (report.fields() > 0 || report.values() > 0 || !report.skipped().isEmpty()) {
                LOG.info("Legacy dynamic fields: {} definitions and {} values copied; skipped: {}", report.fields(),
                        report.values(), report.skipped());
            }
        } catch (RuntimeException e) {
            LOG.warn("Legacy dynamic fields were not copied: {}", e.getMessage());
        }
    }

    Report copy() {
        return database.inTransaction(c -> {
            if (!hasTable(c, "dynamic_field")) {
                return new Report(0, 0, List.of());
            }
            List<String> skipped = new ArrayList<>();
            int fields = 0;
            int values = 0;
            boolean hasValues = hasTable(c, "dynamic_field_value");
            for (Map<String, Object> df : Jdbc.rows(c, "SELECT id, name, label, field_order, field_type, object_type,"
                    + " config, valid_id FROM dynamic_field ORDER BY id", List.of())) {
                long sourceId = ((Number) df.get("id")).longValue();
                String entity = OBJECTS.get(String.valueOf(df.get("object_type")));
                String type = TYPES.get(String.valueOf(df.get("field_type")));
                if (entity == null || type == null) {
                    skipped.add(df.get("name") + " (" + df.get("object_type") + "/" + df.get("field_type") + ")");
                    continue;
                }
                Map<Long, List<Object[]>> rows = hasValues ? legacyValues(c, sourceId) : Map.of();
                if (type.equals("text") && rows.values().stream().flatMap(List::stream)
                        .anyMatch(r -> r[0] != null && r[0].toString().length() > ValueCodec.TEXT_COLUMN)) {
                    type = "textarea";
                }
                boolean known = !DefinitionRows.list(c, "migrated_from = ?", Jdbc.params(sourceId)).isEmpty();
                FieldDefinition def = definition(c, sourceId, entity, type, df, rows, skipped);
                if (def == null) {
                    continue;
                }
                if (!known) {
                    fields++;
                }
                values += copyValues(c, def, rows);
            }
            return new Report(fields, values, skipped);
        });
    }

    /** The custom field copied from {@code sourceId}, created now if it was not copied before. */
    private FieldDefinition definition(Connection c, long sourceId, String entity, String type, Map<String, Object> df,
            Map<Long, List<Object[]>> rows, List<String> skipped) throws SQLException {
        List<FieldDefinition> copied = DefinitionRows.list(c, "migrated_from = ?", Jdbc.params(sourceId));
        if (!copied.isEmpty()) {
            return copied.get(0);
        }
        String name = snake(String.valueOf(df.get("name")));
        if (!DefinitionRows.list(c, "entity_type = ? AND name = ?", Jdbc.params(entity, name)).isEmpty()) {
            skipped.add(df.get("name") + " (a " + entity + " field named " + name + " exists)");
            return null;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        if (type.equals("select") || type.equals("multi_select")) {
            Set<String> options = new LinkedHashSet<>(possibleValues(String.valueOf(df.get("config"))));
            rows.values().forEach(list -> list.forEach(r -> {
                if (r[0] != null) {
                    options.add(r[0].toString());
                }
            }));
            options.removeIf(o -> o.isEmpty() || o.length() > 100 || o.contains("|"));
            if (options.isEmpty()) {
                skipped.add(df.get("name") + " (no choices)");
                return null;
            }
            config.put("options", new ArrayList<>(options));
        } else if (type.equals("textarea")) {
            config.put("max_length", ValueCodec.TEXTAREA_MAX);
        } else if (type.equals("text")) {
            config.put("max_length", ValueCodec.TEXT_COLUMN);
        }
        Map<String, String> errors = new TreeMap<>();
        String label = df.get("label") == null ? name : df.get("label").toString();
        DatabaseCustomFieldService.Draft draft = DatabaseCustomFieldService.Draft.of(new FieldInput(entity, name,
                label.length() > 200 ? label.substring(0, 200) : label, type, "OTRS",
                df.get("field_order") instanceof Number n ? n.intValue() : 0, false, false,
                "Copied from the OTRS dynamic field " + df.get("name"), null, config,
                df.get("valid") instanceof Boolean b ? b : true), null, errors);
        if (!errors.isEmpty()) {
            skipped.add(df.get("name") + " " + errors);
            return null;
        }
        long id = DatabaseCustomFieldService.insert(c, draft, FieldDefinition.OWNER_LEGACY, null, sourceId,
                Instant.now());
        return DefinitionRows.byId(c, id).orElseThrow();
    }

    /** Per object: rows of {text, date, int}; a multiselect has one row per chosen value. */
    private static Map<Long, List<Object[]>> legacyValues(Connection c, long fieldId) throws SQLException {
        Map<Long, List<Object[]>> values = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT object_id, value_text, value_date, value_int FROM"
                + " dynamic_field_value WHERE field_id = ? ORDER BY object_id, id")) {
            q.setLong(1, fieldId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Timestamp date = rs.getTimestamp("value_date");
                    values.computeIfAbsent(rs.getLong("object_id"), k -> new ArrayList<>()).add(new Object[] {
                        rs.getString("value_text"), date, Jdbc.nullableLong(rs, "value_int")});
                }
            }
        }
        return values;
    }

    private int copyValues(Connection c, FieldDefinition def, Map<Long, List<Object[]>> rows) throws SQLException {
        int copied = 0;
        Instant now = Instant.now();
        for (Map.Entry<Long, List<Object[]>> e : rows.entrySet()) {
            Stored value = stored(def, e.getValue());
            if (value == null) {
                continue;
            }
            String insert = "INSERT INTO gk_custom_field_value (field_id, object_id, val_text, val_int, val_date,"
                    + " val_datetime, val_json, change_time) ";
            List<Object> params = Jdbc.params(def.id(), e.getKey(), value.text(), value.integer(),
                    value.date() == null ? null : java.sql.Date.valueOf(value.date()), value.datetime(), value.json(),
                    now);
            int n;
            if (database.kind() == DatabaseKind.POSTGRESQL) {
                n = Jdbc.update(c, insert + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (field_id, object_id)"
                        + " DO NOTHING", params);
            } else {
                List<Object> guarded = new ArrayList<>(params);
                guarded.add(def.id());
                guarded.add(e.getKey());
                n = Jdbc.update(c, insert + "SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM (VALUES (1)) one WHERE NOT EXISTS"
                        + " (SELECT 1 FROM gk_custom_field_value WHERE field_id = ? AND object_id = ?)", guarded);
            }
            copied += n;
        }
        return copied;
    }

    /** The custom-field value of an object's OTRS rows, or null when they hold nothing usable. */
    private static Stored stored(FieldDefinition def, List<Object[]> rows) {
        Object[] first = rows.get(0);
        String text = first[0] == null ? null : first[0].toString();
        Timestamp date = (Timestamp) first[1];
        Long integer = (Long) first[2];
        switch (def.fieldType()) {
            case "text", "select":
                return text == null || text.isEmpty() ? null : Stored.text(text);
            case "textarea":
                return text == null || text.isEmpty() ? null : new Stored(null, null, null, null, null, null, text);
            case "boolean":
                return integer == null ? null : new Stored(null, integer != 0 ? 1L : 0L, null, null, null, null, null);
            case "date":
                return date == null ? null : new Stored(null, null, null, null,
                        date.toLocalDateTime().toLocalDate(), null, null);
            case "datetime":
                return date == null ? null : new Stored(null, null, null, null, null, date.toInstant(), null);
            case "multi_select":
                Set<String> chosen = new LinkedHashSet<>();
                rows.forEach(r -> {
                    if (r[0] != null && !r[0].toString().isEmpty()) {
                        chosen.add(r[0].toString());
                    }
                });
                if (chosen.isEmpty()) {
                    return null;
                }
                var list = ValueCodec.JSON.createArrayNode();
                chosen.forEach(list::add);
                return new Stored("|" + String.join("|", chosen) + "|", null, null, null, null, null, list.toString());
            default:
                return null;
        }
    }

    /** The keys under {@code PossibleValues:} of an OTRS YAML config (indented {@code key: label} lines). */
    static List<String> possibleValues(String yaml) {
        List<String> keys = new ArrayList<>();
        if (yaml == null) {
            return keys;
        }
        int indent = -1;
        for (String line : yaml.split("\\R")) {
            String trimmed = line.strip();
            int lead = line.length() - line.stripLeading().length();
            if (indent < 0) {
                if (trimmed.equals("PossibleValues:")) {
                    indent = lead;
                }
                continue;
            }
            if (trimmed.isEmpty()) {
                continue;
            }
            if (lead <= indent) {
                break;
            }
            int colon = trimmed.indexOf(':');
            if (colon > 0) {
                keys.add(unquote(trimmed.substring(0, colon).strip()));
            }
        }
        return keys;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** OTRS names are CamelCase; custom field names are snake_case ("CustomerRating" → "customer_rating"). */
    static String snake(String name) {
        String s = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_")
                .toLowerCase(Locale.ROOT).replaceAll("^_+|_+$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "f_" + s;
        }
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
