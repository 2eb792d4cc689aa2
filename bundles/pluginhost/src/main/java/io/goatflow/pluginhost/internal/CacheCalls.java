package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * {@code cache_get}, {@code cache_set}, {@code cache_delete}: a small key-value cache in the database (so every
 * instance sees the same values), each key prefixed {@code plugin:<name>:} by the host so plugins cannot read or
 * overwrite each other's entries.
 */
final class CacheCalls {
    static final int MAX_KEY = 200;
    static final int MAX_VALUE = 256 * 1024;
    private final Database database;

    CacheCalls(Database database) {
        this.database = database;
    }

    /** Per plugin, and per organisation inside organisations, so cached answers never cross either. */
    static String key(String plugin, long orgId, String key) {
        return "plugin:" + plugin + ":" + (orgId == 0 ? "" : "org" + orgId + ":") + key;
    }

    String get(String plugin, long orgId, String key) {
        String stored = key(plugin, orgId, key);
        return database.inTransaction(c -> {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT cache_value, expires_at FROM gk_plugin_cache WHERE cache_key = ?")) {
                q.setString(1, stored);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        Timestamp expires = rs.getTimestamp(2);
                        if (expires == null || expires.toInstant().isAfter(Instant.now())) {
                            result.set("value", JsonNodeFactory.instance.textNode(rs.getString(1)));
                            result.put("found", true);
                            return result.toString();
                        }
                    }
                }
            }
            result.putNull("value");
            result.put("found", false);
            return result.toString();
        });
    }

    void set(String plugin, long orgId, String key, String value, long ttlSeconds) {
        String stored = key(plugin, orgId, key);
        Instant now = Instant.now();
        Instant expires = ttlSeconds > 0 ? now.plusSeconds(ttlSeconds) : null;
        database.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM gk_plugin_cache WHERE plugin = ? AND expires_at < ?",
                    Jdbc.params(plugin, now));
            int changed = Jdbc.update(c, "UPDATE gk_plugin_cache SET cache_value = ?, expires_at = ?, updated_at = ? "
                    + "WHERE cache_key = ?", Jdbc.params(value, expires, now, stored));
            if (changed == 0) {
                Jdbc.update(c, "INSERT INTO gk_plugin_cache (cache_key, plugin, cache_value, expires_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?)", Jdbc.params(stored, plugin, value, expires, now));
            }
            return null;
        });
    }

    void delete(String plugin, long orgId, String key) {
        database.inTransaction(c -> Jdbc.update(c, "DELETE FROM gk_plugin_cache WHERE cache_key = ?",
                Jdbc.params(key(plugin, orgId, key))));
    }

    /** The value as stored: a JSON string is kept as its text, anything else as its JSON form. */
    static String text(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
