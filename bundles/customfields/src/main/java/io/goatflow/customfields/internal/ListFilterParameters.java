package io.goatflow.customfields.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldFilter;
import io.goatflow.customfields.FieldType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Query-string filters of the ticket list, {@code cf.<name>[.<op>]=<value>}, read as {@link FieldFilter}s. Values
 * are text in a URL, so each is converted by the field's type; lists ({@code in}), ranges ({@code between}) and
 * {@code near} ({@code lat,lng,km}) are comma-separated or repeated parameters. A date-time field compared with a
 * plain date means that whole day (UTC): {@code lte=2026-11-30} includes the 30th, {@code eq} is the day.
 */
final class ListFilterParameters {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final java.util.regex.Pattern DAY = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private ListFilterParameters() {
    }

    /** The parameter's name without its operator, and the operator ({@code eq} when none is given). */
    record Key(String field, String op) {
        static Key of(String parameter) {
            int dot = parameter.lastIndexOf('.');
            return dot < 0 ? new Key(parameter, "eq") : new Key(parameter.substring(0, dot), parameter.substring(dot + 1));
        }
    }

    /** The filters of one parameter: one per value, or one taking all values for in, between and near. */
    static List<FieldFilter> filters(FieldDefinition field, String name, String op, List<String> values)
            throws InvalidValue {
        if (!DatabaseCustomFieldService.OPERATORS.contains(op)) {
            throw new InvalidValue("unknown operator '" + op + "' (eq, neq, gt, lt, gte, lte, like, in, between, near)");
        }
        List<String> given = values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank())
                .map(String::trim).toList();
        if (given.isEmpty()) {
            throw new InvalidValue("needs a value");
        }
        switch (op) {
            case "in": {
                ArrayNode any = NODES.arrayNode();
                for (String v : split(given)) {
                    any.add(operand(field, v));
                }
                return List.of(new FieldFilter(name, op, any, null));
            }
            case "between": {
                List<String> bounds = split(given);
                if (bounds.size() != 2) {
                    throw new InvalidValue("between needs two values: low,high");
                }
                return List.of(new FieldFilter(name, op, operand(field, bounds.get(0)), operand(field, bounds.get(1))));
            }
            case "near": {
                List<String> parts = split(given);
                if (parts.size() != 3) {
                    throw new InvalidValue("near needs lat,lng,km");
                }
                ObjectNode centre = NODES.objectNode();
                centre.put("lat", number(parts.get(0)));
                centre.put("lng", number(parts.get(1)));
                return List.of(new FieldFilter(name, op, centre, NODES.numberNode(number(parts.get(2)))));
            }
            default: {
                List<FieldFilter> each = new ArrayList<>();
                for (String v : given) {
                    each.add(field.type() == FieldType.DATETIME && DAY.matcher(v).matches() ? wholeDay(name, op, v)
                            : new FieldFilter(name, op, operand(field, v), null));
                }
                return each;
            }
        }
    }

    /** A comparison of a date-time with a day: the day's first or last instant, eq as the whole day. */
    private static FieldFilter wholeDay(String name, String op, String day) throws InvalidValue {
        java.time.LocalDate date;
        try {
            date = java.time.LocalDate.parse(day);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidValue("needs a date such as 2026-11-30");
        }
        JsonNode first = NODES.textNode(date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString());
        JsonNode last = NODES.textNode(date.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                .minusNanos(1000).toString());
        return switch (op) {
            case "eq" -> new FieldFilter(name, "between", first, last);
            case "gte", "lt" -> new FieldFilter(name, op, first, null);
            case "gt", "lte" -> new FieldFilter(name, op, last, null);
            default -> throw new InvalidValue("a day compares with eq, gt, gte, lt and lte");
        };
    }

    private static List<String> split(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
        }
        return parts;
    }

    /** The text as the JSON value the field's type takes. */
    private static JsonNode operand(FieldDefinition field, String text) throws InvalidValue {
        return switch (field.type()) {
            case INTEGER -> {
                try {
                    yield NODES.numberNode(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw new InvalidValue("needs a whole number");
                }
            }
            case DECIMAL -> NODES.numberNode(decimal(text));
            case BOOLEAN -> switch (text) {
                case "true" -> NODES.booleanNode(true);
                case "false" -> NODES.booleanNode(false);
                default -> throw new InvalidValue("needs true or false");
            };
            default -> NODES.textNode(text);
        };
    }

    private static BigDecimal decimal(String text) throws InvalidValue {
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.precision() > 40) {
                throw new InvalidValue("needs a number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidValue("needs a number");
        }
    }

    private static double number(String text) throws InvalidValue {
        double value = decimal(text).doubleValue();
        if (!Double.isFinite(value)) {
            throw new InvalidValue("needs a number");
        }
        return value;
    }
}
