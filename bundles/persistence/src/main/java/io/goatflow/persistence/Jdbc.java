package io.goatflow.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JDBC conveniences for SQL-shaped work: binding parameters (nulls and instants included), inserts that return
 * the generated id, and rows as JSON-ready maps. */
public final class Jdbc {
    private Jdbc() {
    }

    /** Parameters for {@link #bind}; nulls allowed. */
    public static List<Object> params(Object... values) {
        return java.util.Arrays.asList(values);
    }

    public static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p == null) {
                // untyped: PostgreSQL infers the column's type (a VARCHAR null is refused by bigint columns)
                statement.setNull(i + 1, Types.NULL);
            } else if (p instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (p instanceof byte[] bytes) {
                statement.setBytes(i + 1, bytes);
            } else {
                statement.setObject(i + 1, p);
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static long insert(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql, new String[] {"id"})) {
            bind(insert, params);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public static int update(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            bind(update, params);
            return update.executeUpdate();
        }
    }

    /** Rows as JSON-ready maps: snake_case column names, timestamps as instants, valid_id as a boolean. */
    public static List<Map<String, Object>> rows(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String column = meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                        Object value = rs.getObject(i);
                        if (value instanceof java.sql.Timestamp t) {
                            value = t.toInstant();
                            column = column.replace("_time", "_at").replace("change_at", "updated_at")
                                    .replace("create_at", "created_at");
                        }
                        if (column.equals("valid_id")) {
                            row.put("valid", value != null && ((Number) value).intValue() == 1);
                            continue;
                        }
                        row.put(column, value instanceof Number n && !(value instanceof Long)
                                && !(value instanceof java.math.BigDecimal) ? n.longValue() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
