package io.goatflow.customfields.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldType;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
    private static FieldDefinition field(FieldType type, Map<String, Object> config) throws InvalidValue {
        return new FieldDefinition(1, "ticket", "f", "F", type.wire(), null, 0, false, false, null, null,
                ValueCodec.config(type, config), "admin", null, null, true, null, null);
    }

    private static JsonNode json(String text) throws Exception {
        return ValueCodec.JSON.readTree(text);
    }

    private static Object roundTrip(FieldDefinition f, String value) throws Exception {
        return ValueCodec.decode(f.type(), ValueCodec.encode(f, json(value)));
    }

    @Test
    void everyTypeKeepsAValidValueAndNamesWhatIsWrongWithAnInvalidOne() throws Exception {
        Map<FieldType, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put(FieldType.TEXT, new String[] {"\"hello\"", "42"});
        cases.put(FieldType.TEXTAREA, new String[] {"\"line 1\\nline 2\"", "true"});
        cases.put(FieldType.INTEGER, new String[] {"42", "4.5"});
        cases.put(FieldType.DECIMAL, new String[] {"4.25", "\"x\""});
        cases.put(FieldType.BOOLEAN, new String[] {"true", "\"yes\""});
        cases.put(FieldType.DATE, new String[] {"\"2026-11-23\"", "\"23.11.2026\""});
        cases.put(FieldType.DATETIME, new String[] {"\"2026-11-23T14:30:00Z\"", "\"2026-11-23 14:30\""});
        cases.put(FieldType.URL, new String[] {"\"https://example.com/a\"", "\"javascript:alert(1)\""});
        cases.put(FieldType.EMAIL, new String[] {"\"a.b@example.com\"", "\"a@b\""});
        cases.put(FieldType.PHONE, new String[] {"\"+49 30 1234-5678\"", "\"call me\""});
        cases.put(FieldType.POINT, new String[] {"{\"lat\":52.52,\"lng\":13.405}", "{\"lat\":91,\"lng\":0}"});
        cases.put(FieldType.POLYGON, new String[] {
            "{\"type\":\"Polygon\",\"coordinates\":[[[13,52],[14,52],[14,53],[13,53],[13,52]]]}",
            "{\"type\":\"Polygon\",\"coordinates\":[[[13,52],[14,53],[14,52],[13,53],[13,52]]]}"});
        cases.put(FieldType.ADDRESS, new String[] {"{\"street\":\"Unter den Linden 1\",\"postcode\":\"10117\","
                + "\"city\":\"Berlin\",\"country\":\"de\"}", "{\"planet\":\"Mars\"}"});
        for (var c : cases.entrySet()) {
            FieldDefinition f = field(c.getKey(), Map.of());
            roundTrip(f, c.getValue()[0]);
            InvalidValue e = assertThrows(InvalidValue.class, () -> ValueCodec.encode(f, json(c.getValue()[1])),
                    c.getKey().wire());
            assertFalse(e.getMessage().isBlank());
        }
        FieldDefinition select = field(FieldType.SELECT, Map.of("options", List.of("low", "high")));
        assertEquals("high", roundTrip(select, "\"high\""));
        assertTrue(assertThrows(InvalidValue.class, () -> ValueCodec.encode(select, json("\"mid\""))).getMessage()
                .contains("low, high"));
        FieldDefinition multi = field(FieldType.MULTI_SELECT, Map.of("options", List.of("a", "b", "c")));
        assertEquals("|a|c|", ValueCodec.encode(multi, json("[\"c\",\"a\",\"a\"]")).text());
        assertThrows(InvalidValue.class, () -> ValueCodec.encode(multi, json("[\"d\"]")));
    }

    @Test
    void limitsFromTheConfigurationApply() throws Exception {
        FieldDefinition n = field(FieldType.INTEGER, Map.of("min", 0, "max", 10));
        assertEquals("must be at most 10", assertThrows(InvalidValue.class, () -> ValueCodec.encode(n, json("11")))
                .getMessage());
        FieldDefinition t = field(FieldType.TEXT, Map.of("max_length", 5, "regex", "[A-Z]+",
                "regex_message", "capitals only"));
        assertEquals("capitals only", assertThrows(InvalidValue.class, () -> ValueCodec.encode(t, json("\"abc\"")))
                .getMessage());
        assertTrue(assertThrows(InvalidValue.class, () -> ValueCodec.encode(t, json("\"ABCDEF\""))).getMessage()
                .contains("longer than 5"));
        assertThrows(InvalidValue.class, () -> ValueCodec.config(FieldType.TEXT, Map.of("max_length", 4000)));
        assertThrows(InvalidValue.class, () -> ValueCodec.config(FieldType.TEXT, Map.of("regex", "(")));
        assertThrows(InvalidValue.class, () -> ValueCodec.config(FieldType.SELECT, Map.of()));
        assertThrows(InvalidValue.class, () -> ValueCodec.config(FieldType.BOOLEAN, Map.of("max", 1)));
    }

    @Test
    void aCatastrophicPatternCostsAtMostTheTimeLimit() throws Exception {
        // (.*a){25} backtracks exponentially even in Java 17's matcher (which defuses (a+)+$ and friends)
        FieldDefinition t = field(FieldType.TEXT, Map.of("max_length", 500, "regex", "(.*a){25}"));
        String evil = "a".repeat(50) + "!";
        long start = System.nanoTime();
        InvalidValue e = assertThrows(InvalidValue.class, () -> ValueCodec.encode(t, json("\"" + evil + "\"")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("in time"), e.getMessage());
        // generous bound: the point is that it returns at all (unbounded, this input runs for days)
        assertTrue(millis < 5_000, millis + " ms");
        assertTrue(BoundedRegex.matches(Pattern.compile("[A-Z]{2}-[0-9]+"), "GF-1234", 100));
    }

    @Test
    void geometry() throws Exception {
        assertEquals(504, Geo.distanceKm(52.52, 13.405, 48.137, 11.575), 3); // Berlin - Munich
        double[] box = Geo.boundingBox(52.52, 13.405, 10);
        assertTrue(box[0] < 52.52 && box[1] > 52.52 && box[2] < 13.405 && box[3] > 13.405);
        assertEquals(-180, Geo.boundingBox(0, 179.9, 100)[2]);
        assertThrows(InvalidValue.class, () -> Geo.polygon(json("{\"type\":\"Polygon\",\"coordinates\":"
                + "[[[0,0],[1,0],[1,1],[0,1]]]}"), 100));
    }

    @Test
    void legacyNamesAndChoices() {
        assertEquals("customer_rating", LegacyDynamicFields.snake("CustomerRating"));
        assertEquals("f_2nd", LegacyDynamicFields.snake("2nd"));
        assertEquals(List.of("low", "high", "it's"), LegacyDynamicFields.possibleValues("---\nDefaultValue: ''\n"
                + "PossibleValues:\n  low: Low\n  high: High\n  'it''s': X\nTranslatableValues: '0'\n"));
    }
}
