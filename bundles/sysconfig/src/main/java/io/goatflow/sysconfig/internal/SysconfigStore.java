package io.goatflow.sysconfig.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goatflow.events.DomainEvents;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.ConfigSet;
import io.goatflow.sysconfig.Setting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Reads and writes sysconfig rows; the {@link ConfigGet} of the platform. */
@Component(service = {ConfigGet.class, ConfigSet.class, SysconfigStore.class})
public final class SysconfigStore implements ConfigGet, ConfigSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EFFECTIVE = "SELECT d.id, d.name, d.description, d.navigation, d.is_readonly,"
            + " d.effective_value AS default_value, m.effective_value AS modified_value, m.change_time, m.change_by"
            + " FROM sysconfig_default d LEFT JOIN sysconfig_modified m"
            + " ON m.sysconfig_default_id = d.id AND m.user_id IS NULL AND m.is_valid = 1"
            + " WHERE d.is_valid = 1 AND d.is_invisible = 0";

    private final Database database;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    /** One setting as the admin API shows it. */
    record Entry(long id, String name, String description, String navigation, boolean readonly,
            Object defaultValue, Object value, Setting.Tier tier, Instant changedAt, Integer changedBy) {
    }

    @Activate
    public SysconfigStore(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.sysconfig)") SchemaReady schema) {
        this.database = database;
    }

    @Override
    public Optional<Setting> setting(String name) {
        return entry(name).map(e -> new Setting(e.name(), e.value(), e.tier()));
    }

    Optional<Entry> entry(String name) {
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(EFFECTIVE + " AND d.name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<Entry>empty();
                }
            }
        });
    }

    /** One page of settings, optionally those whose name contains {@code search}, ordered by name. */
    List<Entry> list(String search, int offset, int limit) {
        return database.inTransaction(c -> {
            String sql = EFFECTIVE + (search == null ? "" : " AND LOWER(d.name) LIKE ? ESCAPE '\\'")
                    + " ORDER BY d.name LIMIT ? OFFSET ?";
            try (PreparedStatement q = c.prepareStatement(sql)) {
                int i = 1;
                if (search != null) {
                    q.setString(i++, likePattern(search));
                }
                q.setInt(i++, limit);
                q.setInt(i, offset);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        entries.add(read(rs));
                    }
                }
                return entries;
            }
        });
    }

    long count(String search) {
        return database.inTransaction(c -> {
            String sql = "SELECT COUNT(*) FROM sysconfig_default d WHERE d.is_valid = 1 AND d.is_invisible = 0"
                    + (search == null ? "" : " AND LOWER(d.name) LIKE ? ESCAPE '\\'");
            try (PreparedStatement q = c.prepareStatement(sql)) {
                if (search != null) {
                    q.setString(1, likePattern(search));
                }
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Sets the system-tier value of {@code name}. The default row is locked first, so concurrent writers of one
     * setting queue up instead of inserting two overrides.
     *
     * @return the entry after the change, or empty if no such setting exists
     * @throws SettingRefusedException when the setting is read-only or the value has the wrong type
     */
    Optional<Entry> override(String name, Object value, long userId) {
        Optional<Entry> result = database.inTransaction(c -> {
            Optional<Long> id = lockDefault(c, name);
            if (id.isEmpty()) {
                return Optional.<Entry>empty();
            }
            Entry current = entryIn(c, name).orElseThrow();
            if (current.readonly()) {
                throw new SettingRefusedException("SETTING_READONLY", "Setting " + name + " is read-only");
            }
            if (!sameJsonType(current.defaultValue(), value)) {
                throw new SettingRefusedException("VALIDATION_FAILED", "Setting " + name + " takes a "
                        + jsonType(current.defaultValue()) + ", not a " + jsonType(value));
            }
            if (isWholeNumber(current.defaultValue()) && !isWholeNumber(value)) {
                throw new SettingRefusedException("VALIDATION_FAILED", "Setting " + name + " takes a whole number");
            }
            Timestamp now = Timestamp.from(Instant.now());
            String json = toJson(value);
            try (PreparedStatement update = c.prepareStatement("UPDATE sysconfig_modified SET effective_value = ?,"
                    + " is_valid = 1, change_time = ?, change_by = ? WHERE sysconfig_default_id = ? AND user_id IS NULL")) {
                update.setString(1, json);
                update.setTimestamp(2, now);
                update.setLong(3, userId);
                update.setLong(4, id.get());
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO sysconfig_modified"
                            + " (sysconfig_default_id, name, user_id, effective_value, create_time, create_by,"
                            + " change_time, change_by) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)")) {
                        insert.setLong(1, id.get());
                        insert.setString(2, name);
                        insert.setString(3, json);
                        insert.setTimestamp(4, now);
                        insert.setLong(5, userId);
                        insert.setTimestamp(6, now);
                        insert.setLong(7, userId);
                        insert.executeUpdate();
                    }
                }
            }
            return entryIn(c, name);
        });
        result.ifPresent(e -> publishChange(name, userId));
        return result;
    }

    /** Drops the system-tier override so the default applies again. Empty if no such setting exists. */
    Optional<Entry> reset(String name, long userId) {
        Optional<Entry> result = database.inTransaction(c -> {
            Optional<Long> id = lockDefault(c, name);
            if (id.isEmpty()) {
                return Optional.<Entry>empty();
            }
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM sysconfig_modified WHERE sysconfig_default_id = ? AND user_id IS NULL")) {
                delete.setLong(1, id.get());
                delete.executeUpdate();
            }
            return entryIn(c, name);
        });
        result.ifPresent(e -> publishChange(name, userId));
        return result;
    }

    @Override
    public void define(String name, String description, String navigation, Object defaultValue) {
        if (name == null || name.isBlank() || name.length() > 250) {
            throw new IllegalArgumentException("A setting name has 1 to 250 characters");
        }
        String json = toJson(defaultValue);
        try {
            database.inTransaction(c -> {
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM sysconfig_default WHERE name = ?")) {
                    exists.setString(1, name);
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) {
                            return null;
                        }
                    }
                }
                Timestamp now = Timestamp.from(Instant.now());
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO sysconfig_default (name, description,"
                        + " navigation, effective_value, create_time, create_by, change_time, change_by)"
                        + " VALUES (?, ?, ?, ?, ?, 1, ?, 1)")) {
                    insert.setString(1, name);
                    insert.setString(2, description == null ? "" : description);
                    insert.setString(3, navigation == null ? "" : navigation);
                    insert.setString(4, json);
                    insert.setTimestamp(5, now);
                    insert.setTimestamp(6, now);
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (DataAccessException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // another instance defined it at the same moment: it exists, which is all we wanted
        }
    }

    @Override
    public void set(String name, Object value, long userId) {
        try {
            if (override(name, value, userId).isEmpty()) {
                throw new IllegalArgumentException("No setting " + name);
            }
        } catch (SettingRefusedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void publishChange(String name, long userId) {
        DomainEvents current = events;
        if (current != null) {
            current.publish("config.changed", Map.of("name", name, "tier", "system", "changed_by", userId));
        }
    }

    private static Optional<Long> lockDefault(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT id FROM sysconfig_default WHERE name = ? AND is_valid = 1 AND is_invisible = 0 FOR UPDATE")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Entry> entryIn(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(EFFECTIVE + " AND d.name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Entry read(ResultSet rs) throws SQLException {
        Object defaultValue = fromJson(rs.getString("default_value"));
        String modified = rs.getString("modified_value");
        Timestamp changed = rs.getTimestamp("change_time");
        int changedBy = rs.getInt("change_by");
        Integer changedByOrNull = rs.wasNull() ? null : changedBy;
        return new Entry(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("navigation"), rs.getInt("is_readonly") == 1, defaultValue,
                modified == null ? defaultValue : fromJson(modified),
                modified == null ? Setting.Tier.DEFAULT : Setting.Tier.SYSTEM,
                changed == null ? null : changed.toInstant(), changedByOrNull);
    }

    static String likePattern(String search) {
        String escaped = search.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_");
        return "%" + escaped + "%";
    }

    static boolean sameJsonType(Object a, Object b) {
        return jsonType(a).equals(jsonType(b));
    }

    static boolean isWholeNumber(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger;
    }

    static String jsonType(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof List) {
            return "list";
        }
        return "object";
    }

    private static Object fromJson(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            // OTRS imports may carry non-JSON values: show them as the text they are.
            return json;
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Value cannot be stored as JSON", e);
        }
    }
}
