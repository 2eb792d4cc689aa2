package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code db_query} and {@code db_exec}: plugin SQL that passed {@link SqlSandbox}, run with bound parameters in its
 * own transaction, with a statement timeout and a row cap so one plugin cannot tie up the pool or the heap.
 */
final class DatabaseCalls {
    static final int MAX_ROWS = 10_000;
    static final int TIMEOUT_SECONDS = 10;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DatabaseCalls() {
    }

    /** Arguments {@code {query, args[]}} as JDBC parameters; nested arrays and objects are refused. */
    static List<Object> params(JsonNode args) throws SqlSandbox.Refused {
        JsonNode list = args.path("args");
        List<Object> params = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return params;
        }
        if (!list.isArray()) {
            throw new SqlSandbox.Refused("args must be an array of values");
        }
        for (JsonNode v : list) {
            if (v.isNull()) {
                params.add(null);
            } else if (v.isBoolean()) {
                params.add(v.booleanValue());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                params.add(v.longValue());
            } else if (v.isNumber()) {
                params.add(v.decimalValue());
            } else if (v.isTextual()) {
                params.add(v.textValue());
            } else {
                throw new SqlSandbox.Refused("args may hold strings, numbers, booleans and nulls only");
            }
        }
        return params;
    }

    static ArrayNode query(Database database, String sql, List<Object> params) {
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setQueryTimeout(TIMEOUT_SECONDS);
                q.setMaxRows(MAX_ROWS);
                Jdbc.bind(q, params);
                ArrayNode rows = NODES.arrayNode();
                try (ResultSet rs = q.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        ObjectNode row = rows.addObject();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.set(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), value(rs.getObject(i)));
                        }
                    }
                }
                return rows;
            }
        });
    }

    static int exec(Database database, String sql, List<Object> params) {
        return database.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement(sql)) {
                u.setQueryTimeout(TIMEOUT_SECONDS);
                Jdbc.bind(u, params);
                return u.executeUpdate();
            }
        });
    }

    /** A short, safe description of a database error (no SQL text or driver internals beyond the SQLState). */
    static String describe(DataAccessException e) {
        String state = e.sqlState();
        return "the database refused the statement" + (state == null ? "" : " (SQLState " + state + ")");
    }

    private static JsonNode value(Object v) throws SQLException {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof BigDecimal d) {
            return d.scale() <= 0 && d.precision() < 19 ? NODES.numberNode(d.longValue()) : NODES.numberNode(d);
        }
        if (v instanceof Double || v instanceof Float) {
            return NODES.numberNode(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return NODES.numberNode(n.longValue());
        }
        if (v instanceof Timestamp t) {
            return NODES.textNode(t.toInstant().toString());
        }
        if (v instanceof java.time.temporal.TemporalAccessor || v instanceof java.util.Date) {
            return NODES.textNode(v.toString());
        }
        if (v instanceof Clob clob) {
            return NODES.textNode(clob.getSubString(1, (int) Math.min(clob.length(), 1 << 20)));
        }
        if (v instanceof byte[]) {
            return NODES.nullNode();
        }
        return NODES.textNode(v.toString());
    }

    /** Predicate view of a pattern list. */
    static Predicate<String> tables(List<String> patterns) {
        return t -> PluginPolicy.matches(patterns, t);
    }
}
