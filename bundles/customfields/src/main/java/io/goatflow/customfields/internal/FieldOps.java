package io.goatflow.customfields.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldType;
import io.goatflow.rest.ApiException;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Atomic operations on one value, applied to the locked row inside the write's transaction: {@code increment}
 * (with {@code by}, {@code floor}, {@code ceiling}), {@code append}, {@code remove}, {@code cas} ({@code expect},
 * {@code value}) and {@code toggle}.
 */
final class FieldOps {
    private FieldOps() {
    }

    /** Checks the operation's shape against the field before any transaction opens. */
    static void check(FieldDefinition f, JsonNode op) throws InvalidValue {
        FieldType type = f.type();
        String name = op.path("op").asText("");
        switch (name) {
            case "increment" -> {
                if (type != FieldType.INTEGER && type != FieldType.DECIMAL) {
                    throw new InvalidValue("increment works on integer and decimal fields");
                }
                for (String member : new String[] {"by", "floor", "ceiling"}) {
                    JsonNode n = op.path(member);
                    if (!n.isMissingNode() && !n.isNull() && (!n.isNumber()
                            || (type == FieldType.INTEGER && !n.isIntegralNumber()))) {
                        throw new InvalidValue("increment: " + member + " must be a "
                                + (type == FieldType.INTEGER ? "whole " : "") + "number");
                    }
                }
                if (op.path("floor").isNumber() && op.path("ceiling").isNumber()
                        && op.path("floor").decimalValue().compareTo(op.path("ceiling").decimalValue()) > 0) {
                    throw new InvalidValue("increment: floor is above ceiling");
                }
            }
            case "toggle" -> {
                if (type != FieldType.BOOLEAN) {
                    throw new InvalidValue("toggle works on boolean fields");
                }
            }
            case "append", "remove" -> {
                boolean list = type == FieldType.MULTI_SELECT;
                boolean text = name.equals("append") && (type == FieldType.TEXT || type == FieldType.TEXTAREA);
                if (!list && !text) {
                    throw new InvalidValue(name + " works on multi_select" + (name.equals("append")
                            ? ", text and textarea" : "") + " fields");
                }
                JsonNode v = op.path("value");
                if (!(v.isTextual() || (list && v.isArray()))) {
                    throw new InvalidValue(name + ": value must be " + (list ? "a choice or a list of choices"
                            : "text"));
                }
            }
            case "cas" -> {
                if (!op.has("expect")) {
                    throw new InvalidValue("cas: expect is required (null for no value)");
                }
                if (!op.has("value")) {
                    throw new InvalidValue("cas: value is required (null to clear)");
                }
                if (!op.path("value").isNull()) {
                    ValueCodec.encode(f, op.path("value"));
                }
            }
            default -> throw new InvalidValue("unknown operation '" + name + "' (increment, append, remove, cas,"
                    + " toggle)");
        }
    }

    /** The new value (null to clear) from the current stored one; a failed cas rolls the whole write back. */
    static JsonNode apply(FieldDefinition f, String shownName, JsonNode op, Stored current) {
        Object now = ValueCodec.decode(f.type(), current);
        switch (op.path("op").asText()) {
            case "increment" -> {
                BigDecimal value = now == null ? BigDecimal.ZERO : new BigDecimal(now.toString());
                BigDecimal by = op.path("by").isNumber() ? op.path("by").decimalValue() : BigDecimal.ONE;
                BigDecimal next = value.add(by);
                if (op.path("floor").isNumber() && next.compareTo(op.path("floor").decimalValue()) < 0) {
                    next = op.path("floor").decimalValue();
                }
                if (op.path("ceiling").isNumber() && next.compareTo(op.path("ceiling").decimalValue()) > 0) {
                    next = op.path("ceiling").decimalValue();
                }
                return f.type() == FieldType.INTEGER ? LongNode.valueOf(next.longValueExact())
                        : DecimalNode.valueOf(next);
            }
            case "toggle" -> {
                return BooleanNode.valueOf(!Boolean.TRUE.equals(now));
            }
            case "append" -> {
                if (f.type() != FieldType.MULTI_SELECT) {
                    return TextNode.valueOf((now == null ? "" : now.toString()) + op.path("value").asText());
                }
                Set<String> items = items(now);
                items.addAll(items(op.path("value")));
                return list(items);
            }
            case "remove" -> {
                Set<String> items = items(now);
                items.removeAll(items(op.path("value")));
                return items.isEmpty() ? NullNode.getInstance() : list(items);
            }
            default -> {
                JsonNode actual = now == null ? NullNode.getInstance() : ValueCodec.JSON.valueToTree(now);
                JsonNode expect = op.path("expect");
                JsonNode expected = NullNode.getInstance();
                if (!expect.isNull()) {
                    try {
                        Object normal = ValueCodec.decode(f.type(), ValueCodec.encode(f, expect));
                        expected = ValueCodec.JSON.valueToTree(normal);
                    } catch (InvalidValue e) {
                        expected = expect;
                    }
                }
                if (!same(actual, expected)) {
                    throw new ApiException(409, "CAS_MISMATCH", shownName + ": the value is " + actual
                            + ", not the expected " + expect + "; nothing was changed");
                }
                return op.path("value");
            }
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static Set<String> items(Object value) {
        Set<String> items = new LinkedHashSet<>();
        JsonNode node = value instanceof JsonNode n ? n : ValueCodec.JSON.valueToTree(value);
        if (node == null || node.isNull()) {
            return items;
        }
        if (node.isTextual()) {
            items.add(node.asText());
        }
        node.forEach(v -> items.add(v.asText()));
        return items;
    }

    private static ArrayNode list(Set<String> items) {
        ArrayNode list = ValueCodec.JSON.createArrayNode();
        items.forEach(list::add);
        return list;
    }

}
