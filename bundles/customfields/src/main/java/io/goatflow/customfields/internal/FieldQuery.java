package io.goatflow.customfields.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldFilter;
import io.goatflow.customfields.FieldType;
import io.goatflow.persistence.Jdbc;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A validated query: one self-join of the value table per filter, each on its field's typed column (and its
 * {@code (field_id, column)} index), as a SELECT of object ids that the query API pages by id and the ticket list
 * uses as a subquery. {@code near} narrows by a bounding box (which the decimal index serves) and then by
 * great-circle distance, both in SQL.
 */
final class FieldQuery {
    private final StringBuilder joins = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private String first;
    private final List<Object> firstParams = new ArrayList<>();

    private FieldQuery() {
    }

    static FieldQuery of(String entityType, List<FieldFilter> filters,
            Function<String, Optional<FieldDefinition>> fields) {
        return of(entityType, filters, fields, i -> "filters[" + i + "]");
    }

    /** As {@link #of(String, List, Function)}, naming the filter {@code i} in errors by {@code label(i)}. */
    static FieldQuery of(String entityType, List<FieldFilter> filters,
            Function<String, Optional<FieldDefinition>> fields, java.util.function.IntFunction<String> label) {
        Map<String, String> errors = new TreeMap<>();
        if (filters == null || filters.isEmpty() || filters.size() > DatabaseCustomFieldService.MAX_FILTERS) {
            errors.put("filters", "give 1 to " + DatabaseCustomFieldService.MAX_FILTERS + " filters");
            throw io.goatflow.rest.ApiException.fieldErrors(errors);
        }
        FieldQuery q = new FieldQuery();
        for (int i = 0; i < filters.size(); i++) {
            FieldFilter filter = filters.get(i);
            String at = label.apply(i);
            if (filter == null || filter.field() == null) {
                errors.put(at + ".field", "is required");
                continue;
            }
            Optional<FieldDefinition> field = fields.apply(filter.field());
            if (field.isEmpty()) {
                errors.put(at.startsWith("filters[") ? at + ".field" : at,
                        "'" + filter.field() + "' is not a field of " + entityType);
                continue;
            }
            try {
                q.add(i, field.get(), filter);
            } catch (InvalidValue e) {
                errors.put(at, e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw io.goatflow.rest.ApiException.fieldErrors(errors);
        }
        return q;
    }

    private void add(int alias, FieldDefinition f, FieldFilter filter) throws InvalidValue {
        String op = filter.op() == null ? "" : filter.op().toLowerCase(Locale.ROOT);
        FieldType type = f.type();
        String v = "v" + alias;
        List<Object> p = new ArrayList<>();
        p.add(f.id());
        String condition;
        if (op.equals("near")) {
            if (type != FieldType.POINT && type != FieldType.POLYGON && type != FieldType.ADDRESS) {
                throw new InvalidValue("near works on point, polygon and address fields");
            }
            Geo.Point centre = Geo.point(filter.value());
            JsonNode radius = filter.value2();
            if (radius == null || !radius.isNumber() || radius.asDouble() <= 0 || radius.asDouble() > 20_040) {
                throw new InvalidValue("near needs value2, the radius in kilometres (above 0, at most 20040)");
            }
            double[] box = Geo.boundingBox(centre.lat(), centre.lng(), radius.asDouble());
            // haversine: 2R·asin(√a) ≤ km. The constants are numbers this class computed, written as literals so
            // neither database has to guess the type of a parameter inside a function.
            String lat = v + ".val_decimal";
            String lng = v + ".val_decimal2";
            condition = lat + " BETWEEN ? AND ? AND " + lng + " BETWEEN ? AND ? AND ASIN(LEAST(1, SQRT(POWER(SIN(RADIANS("
                    + lat + " - (" + centre.lat() + ")) / 2), 2) + (" + Math.cos(Math.toRadians(centre.lat()))
                    + ") * COS(RADIANS(" + lat + ")) * POWER(SIN(RADIANS(" + lng + " - (" + centre.lng()
                    + ")) / 2), 2)))) <= (" + radius.asDouble() / (2 * Geo.EARTH_RADIUS_KM) + ")";
            p.add(BigDecimal.valueOf(box[0]));
            p.add(BigDecimal.valueOf(box[1]));
            p.add(BigDecimal.valueOf(box[2]));
            p.add(BigDecimal.valueOf(box[3]));
        } else if (type == FieldType.MULTI_SELECT) {
            condition = switch (op) {
                case "eq" -> contains(v, filter.value(), p);
                case "neq" -> "NOT (" + contains(v, filter.value(), p) + ")";
                case "in" -> {
                    List<String> any = new ArrayList<>();
                    for (JsonNode item : list(filter.value())) {
                        any.add(contains(v, item, p));
                    }
                    yield "(" + String.join(" OR ", any) + ")";
                }
                default -> throw new InvalidValue("multi_select fields take eq (contains), neq and in");
            };
        } else {
            String column = switch (type) {
                case TEXT, URL, EMAIL, PHONE, SELECT, ADDRESS -> "val_text";
                case TEXTAREA -> "val_json";
                case INTEGER, BOOLEAN -> "val_int";
                case DECIMAL -> "val_decimal";
                case DATE -> "val_date";
                case DATETIME -> "val_datetime";
                default -> throw new InvalidValue(type.wire() + " fields can only be searched with near");
            };
            boolean textual = column.equals("val_text") || column.equals("val_json");
            if (type == FieldType.BOOLEAN && !op.equals("eq") && !op.equals("neq")) {
                throw new InvalidValue("boolean fields take eq and neq");
            }
            if (type == FieldType.TEXTAREA && !java.util.Set.of("eq", "neq", "like").contains(op)) {
                throw new InvalidValue("textarea fields take eq, neq and like");
            }
            String c = v + "." + column;
            condition = switch (op) {
                case "eq" -> c + " = ?";
                case "neq" -> c + " <> ?";
                case "gt" -> c + " > ?";
                case "lt" -> c + " < ?";
                case "gte" -> c + " >= ?";
                case "lte" -> c + " <= ?";
                case "between" -> c + " BETWEEN ? AND ?";
                case "in" -> c + " IN (" + String.join(", ", java.util.Collections.nCopies(list(filter.value()).size(),
                        "?")) + ")";
                case "like" -> {
                    if (!textual) {
                        throw new InvalidValue("like works on text fields");
                    }
                    yield "LOWER(" + c + ") LIKE ? ESCAPE '\\'";
                }
                default -> throw new InvalidValue("unknown operator '" + filter.op()
                        + "' (eq, neq, gt, lt, gte, lte, like, in, between, near)");
            };
            switch (op) {
                case "in" -> {
                    for (JsonNode item : list(filter.value())) {
                        p.add(ValueCodec.operand(type, item));
                    }
                }
                case "between" -> {
                    p.add(ValueCodec.operand(type, filter.value()));
                    if (filter.value2() == null || filter.value2().isNull()) {
                        throw new InvalidValue("between needs value2, the upper bound");
                    }
                    p.add(ValueCodec.operand(type, filter.value2()));
                }
                case "like" -> p.add("%" + escape(ValueCodec.operand(type, filter.value()).toString()
                        .toLowerCase(Locale.ROOT)) + "%");
                default -> p.add(ValueCodec.operand(type, filter.value()));
            }
        }
        if (alias == 0) {
            first = "v0.field_id = ? AND " + condition;
            firstParams.addAll(p);
        } else {
            joins.append(" JOIN gk_custom_field_value ").append(v).append(" ON ").append(v)
                    .append(".object_id = v0.object_id AND ").append(v).append(".field_id = ? AND ").append(condition);
            params.addAll(p);
        }
    }

    private static String contains(String v, JsonNode item, List<Object> p) throws InvalidValue {
        if (item == null || !item.isTextual()) {
            throw new InvalidValue("needs a choice");
        }
        p.add("%|" + escape(item.asText()) + "|%");
        return v + ".val_text LIKE ? ESCAPE '\\'";
    }

    private static List<JsonNode> list(JsonNode value) throws InvalidValue {
        if (value == null || !value.isArray() || value.isEmpty() || value.size() > 100) {
            throw new InvalidValue("in needs a list of 1 to 100 values");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The matching object ids, as a SELECT of one column, with its parameters in order. */
    String subquery() {
        return "SELECT v0.object_id FROM gk_custom_field_value v0" + joins + " WHERE " + first;
    }

    List<Object> parameters() {
        List<Object> all = new ArrayList<>(params);
        all.addAll(firstParams);
        return all;
    }

    /** Matching ids after {@code after}, in id order. */
    List<Long> page(Connection c, long after, int size) throws SQLException {
        List<Object> all = parameters();
        all.add(after);
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(subquery() + " AND v0.object_id > ? ORDER BY v0.object_id"
                + " FETCH FIRST " + size + " ROWS ONLY")) {
            Jdbc.bind(q, all);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
