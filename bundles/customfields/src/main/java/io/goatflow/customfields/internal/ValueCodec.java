package io.goatflow.customfields.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of the 15 field types: which configuration each accepts, how a JSON value is validated and laid out in
 * the typed columns, and how it is read back. Messages complete "field x …" for the caller.
 */
final class ValueCodec {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Longest value kept in the indexed text column (see the migration). */
    static final int TEXT_COLUMN = 500;
    static final int TEXTAREA_MAX = 100_000;
    static final long REGEX_MILLIS = 100;
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{3,30}");
    private static final Set<String> ADDRESS_PARTS = Set.of("street", "city", "postcode", "region", "country", "lat",
            "lng");

    private ValueCodec() {
    }

    // ------------------------------------------------------------------ configuration

    /** Validates a definition's type-specific configuration and returns it normalised (options as objects). */
    static Map<String, Object> config(FieldType type, Map<String, Object> raw) throws InvalidValue {
        JsonNode c = JSON.valueToTree(raw == null ? Map.of() : raw);
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> allowed = switch (type) {
            case TEXT -> Set.of("max_length", "min_length", "regex", "regex_message");
            case TEXTAREA -> Set.of("max_length", "min_length", "rows");
            case INTEGER, DECIMAL -> Set.of("min", "max", "scale", "step", "unit");
            case DATE, DATETIME -> Set.of("min", "max");
            case SELECT, MULTI_SELECT -> Set.of("options", "max_selected");
            case URL -> Set.of("schemes");
            case POLYGON -> Set.of("max_vertices");
            case ADDRESS -> Set.of("geocode");
            default -> Set.of();
        };
        for (var names = c.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidValue("config: " + name + " is not a setting of " + type.wire() + " fields"
                        + (allowed.isEmpty() ? "" : " (settings: " + String.join(", ", new java.util.TreeSet<>(allowed))
                                + ")"));
            }
        }
        switch (type) {
            case TEXT, TEXTAREA -> {
                int ceiling = type == FieldType.TEXT ? TEXT_COLUMN : TEXTAREA_MAX;
                int max = intSetting(c, "max_length", type == FieldType.TEXT ? 255 : 10_000, 1, ceiling);
                int min = intSetting(c, "min_length", 0, 0, max);
                out.put("max_length", max);
                if (min > 0) {
                    out.put("min_length", min);
                }
                if (c.has("regex")) {
                    String regex = c.path("regex").asText("");
                    if (regex.isEmpty() || regex.length() > 500) {
                        throw new InvalidValue("config: regex must have 1 to 500 characters");
                    }
                    try {
                        Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        throw new InvalidValue("config: regex is not a valid regular expression: "
                                + e.getDescription());
                    }
                    out.put("regex", regex);
                    if (c.hasNonNull("regex_message")) {
                        out.put("regex_message", limited(c.path("regex_message").asText(), 200, "regex_message"));
                    }
                }
                if (c.has("rows")) {
                    out.put("rows", intSetting(c, "rows", 4, 1, 50));
                }
            }
            case INTEGER, DECIMAL -> {
                BigDecimal min = numberSetting(c, "min", type);
                BigDecimal max = numberSetting(c, "max", type);
                if (min != null && max != null && min.compareTo(max) > 0) {
                    throw new InvalidValue("config: min is larger than max");
                }
                if (min != null) {
                    out.put("min", min);
                }
                if (max != null) {
                    out.put("max", max);
                }
                if (type == FieldType.DECIMAL && c.has("scale")) {
                    out.put("scale", intSetting(c, "scale", 2, 0, 10));
                }
                if (c.has("step")) {
                    out.put("step", numberSetting(c, "step", type));
                }
                if (c.has("unit")) {
                    out.put("unit", limited(c.path("unit").asText(), 20, "unit"));
                }
            }
            case DATE, DATETIME -> {
                for (String bound : List.of("min", "max")) {
                    if (c.has(bound)) {
                        try {
                            Object parsed = type == FieldType.DATE ? date(c.path(bound)) : datetime(c.path(bound));
                            out.put(bound, parsed.toString());
                        } catch (InvalidValue e) {
                            throw new InvalidValue("config: " + bound + " " + e.getMessage());
                        }
                    }
                }
            }
            case SELECT, MULTI_SELECT -> {
                JsonNode options = c.path("options");
                if (!options.isArray() || options.isEmpty() || options.size() > 500) {
                    throw new InvalidValue("config: options must list 1 to 500 choices");
                }
                List<Map<String, String>> normal = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                for (JsonNode o : options) {
                    String value = o.isTextual() ? o.asText() : o.path("value").asText("");
                    String label = o.isTextual() ? o.asText() : o.path("label").asText(value);
                    if (value.isEmpty() || value.length() > 100 || value.contains("|")) {
                        throw new InvalidValue("config: option values need 1 to 100 characters and no '|'");
                    }
                    if (!seen.add(value)) {
                        throw new InvalidValue("config: the option '" + value + "' is listed twice");
                    }
                    normal.add(Map.of("value", value, "label", limited(label, 200, "option label")));
                }
                out.put("options", normal);
                if (type == FieldType.MULTI_SELECT && c.has("max_selected")) {
                    out.put("max_selected", intSetting(c, "max_selected", normal.size(), 1, normal.size()));
                }
            }
            case URL -> {
                List<String> schemes = new ArrayList<>();
                if (c.has("schemes")) {
                    if (!c.path("schemes").isArray() || c.path("schemes").isEmpty()) {
                        throw new InvalidValue("config: schemes must be a list such as [\"https\"]");
                    }
                    for (JsonNode s : c.path("schemes")) {
                        String scheme = s.asText("").toLowerCase(Locale.ROOT);
                        if (!Set.of("http", "https", "ftp", "mailto", "tel").contains(scheme)) {
                            throw new InvalidValue("config: scheme '" + s.asText() + "' is not allowed (http, https,"
                                    + " ftp, mailto, tel)");
                        }
                        schemes.add(scheme);
                    }
                    out.put("schemes", schemes);
                }
            }
            case POLYGON -> out.put("max_vertices", intSetting(c, "max_vertices", 1000, 4, 10_000));
            case ADDRESS -> {
                if (c.has("geocode")) {
                    if (!c.path("geocode").isBoolean()) {
                        throw new InvalidValue("config: geocode must be true or false");
                    }
                    out.put("geocode", c.path("geocode").asBoolean());
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static int intSetting(JsonNode c, String name, int fallback, int min, int max) throws InvalidValue {
        if (!c.has(name)) {
            return fallback;
        }
        JsonNode n = c.path(name);
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            throw new InvalidValue("config: " + name + " must be a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    private static BigDecimal numberSetting(JsonNode c, String name, FieldType type) throws InvalidValue {
        if (!c.has(name) || c.path(name).isNull()) {
            return null;
        }
        JsonNode n = c.path(name);
        if (!n.isNumber() || (type == FieldType.INTEGER && !n.isIntegralNumber())) {
            throw new InvalidValue("config: " + name + " must be a " + (type == FieldType.INTEGER ? "whole " : "")
                    + "number");
        }
        return n.decimalValue();
    }

    private static String limited(String text, int max, String what) throws InvalidValue {
        if (text.length() > max) {
            throw new InvalidValue("config: " + what + " is longer than " + max + " characters");
        }
        return text;
    }

    // ------------------------------------------------------------------ values

    /** Validates {@code value} for the field and lays it out in columns. {@code value} is not null. */
    static Stored encode(FieldDefinition def, JsonNode value) throws InvalidValue {
        Map<String, Object> cfg = def.config() == null ? Map.of() : def.config();
        FieldType type = def.type();
        switch (type) {
            case TEXT, TEXTAREA -> {
                String text = string(value);
                int max = ((Number) cfg.getOrDefault("max_length", type == FieldType.TEXT ? 255 : 10_000)).intValue();
                int min = ((Number) cfg.getOrDefault("min_length", 0)).intValue();
                if (text.length() > max) {
                    throw new InvalidValue("is longer than " + max + " characters");
                }
                if (text.length() < min) {
                    throw new InvalidValue("needs at least " + min + " characters");
                }
                if (cfg.get("regex") instanceof String regex) {
                    boolean ok;
                    try {
                        ok = BoundedRegex.matches(Pattern.compile(regex), text, REGEX_MILLIS);
                    } catch (BoundedRegex.Timeout e) {
                        throw new InvalidValue("could not be checked against the field's pattern in time");
                    }
                    if (!ok) {
                        throw new InvalidValue(cfg.get("regex_message") instanceof String m ? m
                                : "does not have the required format");
                    }
                }
                return type == FieldType.TEXT ? Stored.text(text) : new Stored(null, null, null, null, null, null,
                        text);
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new InvalidValue("must be a whole number");
                }
                bounds(BigDecimal.valueOf(value.asLong()), cfg);
                return new Stored(null, value.asLong(), null, null, null, null, null);
            }
            case DECIMAL -> {
                if (!value.isNumber()) {
                    throw new InvalidValue("must be a number");
                }
                BigDecimal d = value.decimalValue();
                if (d.abs().compareTo(new BigDecimal("1e20")) >= 0) {
                    throw new InvalidValue("is too large");
                }
                if (cfg.get("scale") instanceof Number scale && d.stripTrailingZeros().scale() > scale.intValue()) {
                    throw new InvalidValue("has more than " + scale + " decimal places");
                }
                if (d.stripTrailingZeros().scale() > 10) {
                    throw new InvalidValue("has more than 10 decimal places");
                }
                bounds(d, cfg);
                return new Stored(null, null, d, null, null, null, null);
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new InvalidValue("must be true or false");
                }
                return new Stored(null, value.asBoolean() ? 1L : 0L, null, null, null, null, null);
            }
            case DATE -> {
                LocalDate d = date(value);
                if (cfg.get("min") instanceof String min && d.isBefore(LocalDate.parse(min))) {
                    throw new InvalidValue("must be on or after " + min);
                }
                if (cfg.get("max") instanceof String max && d.isAfter(LocalDate.parse(max))) {
                    throw new InvalidValue("must be on or before " + max);
                }
                return new Stored(null, null, null, null, d, null, null);
            }
            case DATETIME -> {
                Instant t = datetime(value);
                if (cfg.get("min") instanceof String min && t.isBefore(Instant.parse(min))) {
                    throw new InvalidValue("must be at or after " + min);
                }
                if (cfg.get("max") instanceof String max && t.isAfter(Instant.parse(max))) {
                    throw new InvalidValue("must be at or before " + max);
                }
                return new Stored(null, null, null, null, null, t, null);
            }
            case SELECT -> {
                String choice = string(value);
                if (!options(cfg).contains(choice)) {
                    throw new InvalidValue("must be one of: " + String.join(", ", options(cfg)));
                }
                return Stored.text(choice);
            }
            case MULTI_SELECT -> {
                if (!value.isArray()) {
                    throw new InvalidValue("must be a list of choices");
                }
                Set<String> chosen = new LinkedHashSet<>();
                for (JsonNode v : value) {
                    if (!v.isTextual() || !options(cfg).contains(v.asText())) {
                        throw new InvalidValue("may only hold: " + String.join(", ", options(cfg)));
                    }
                    chosen.add(v.asText());
                }
                // kept in the order of the options, so a list reads the same however it was built
                List<String> order = options(cfg);
                List<String> sorted = new ArrayList<>(chosen);
                sorted.sort(java.util.Comparator.comparingInt(order::indexOf));
                chosen = new LinkedHashSet<>(sorted);
                if (cfg.get("max_selected") instanceof Number max && chosen.size() > max.intValue()) {
                    throw new InvalidValue("may hold at most " + max + " choices");
                }
                String keys = chosen.isEmpty() ? null : "|" + String.join("|", chosen) + "|";
                if (keys != null && keys.length() > TEXT_COLUMN) {
                    throw new InvalidValue("holds too many choices");
                }
                ArrayNode list = JSON.createArrayNode();
                chosen.forEach(list::add);
                return new Stored(keys, null, null, null, null, null, list.toString());
            }
            case URL -> {
                String text = string(value);
                if (text.length() > TEXT_COLUMN) {
                    throw new InvalidValue("is longer than " + TEXT_COLUMN + " characters");
                }
                @SuppressWarnings("unchecked")
                List<String> schemes = (List<String>) cfg.getOrDefault("schemes", List.of("http", "https"));
                try {
                    URI uri = new URI(text);
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    boolean hierarchical = scheme.startsWith("http") || scheme.equals("ftp");
                    if (!schemes.contains(scheme) || (hierarchical && (uri.getHost() == null
                            || uri.getHost().isEmpty()))) {
                        throw new InvalidValue("must be a " + String.join(" or ", schemes) + " address such as"
                                + " https://example.com");
                    }
                } catch (URISyntaxException e) {
                    throw new InvalidValue("is not a valid address: " + e.getReason());
                }
                return Stored.text(text);
            }
            case EMAIL -> {
                String text = string(value).trim();
                if (text.length() > 254 || !EMAIL.matcher(text).matches()) {
                    throw new InvalidValue("is not a valid email address");
                }
                return Stored.text(text);
            }
            case PHONE -> {
                String text = string(value).trim();
                long digits = text.chars().filter(Character::isDigit).count();
                if (!PHONE.matcher(text).matches() || digits < 3 || digits > 17) {
                    throw new InvalidValue("is not a valid phone number (digits, spaces, + ( ) . / -)");
                }
                return Stored.text(text);
            }
            case POINT -> {
                Geo.Point p = Geo.point(value);
                ObjectNode json = JSON.createObjectNode().put("lat", p.lat()).put("lng", p.lng());
                return new Stored(null, null, BigDecimal.valueOf(p.lat()), BigDecimal.valueOf(p.lng()), null, null,
                        json.toString());
            }
            case POLYGON -> {
                int max = ((Number) cfg.getOrDefault("max_vertices", 1000)).intValue();
                List<Geo.Point> ring = Geo.polygon(value, max);
                Geo.Point c = Geo.centroid(ring);
                ObjectNode json = JSON.createObjectNode().put("type", "Polygon");
                json.set("coordinates", value.path("coordinates"));
                return new Stored(null, null, BigDecimal.valueOf(c.lat()), BigDecimal.valueOf(c.lng()), null, null,
                        json.toString());
            }
            case ADDRESS -> {
                return address(value);
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    private static Stored address(JsonNode value) throws InvalidValue {
        if (!value.isObject()) {
            throw new InvalidValue("must be an object with street, city, postcode, region and country");
        }
        ObjectNode out = JSON.createObjectNode();
        for (var names = value.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!ADDRESS_PARTS.contains(name)) {
                throw new InvalidValue("has an unknown part '" + name + "' (street, city, postcode, region, country,"
                        + " lat, lng)");
            }
        }
        for (String part : List.of("street", "city", "postcode", "region", "country")) {
            JsonNode p = value.path(part);
            if (p.isMissingNode() || p.isNull()) {
                continue;
            }
            if (!p.isTextual() || p.asText().length() > 200) {
                throw new InvalidValue(part + " must be text of at most 200 characters");
            }
            if (!p.asText().isBlank()) {
                out.put(part, p.asText().trim());
            }
        }
        if (!out.has("street") && !out.has("city") && !out.has("postcode")) {
            throw new InvalidValue("needs at least a street, a city or a postcode");
        }
        if (out.has("country")) {
            String country = out.path("country").asText().toUpperCase(Locale.ROOT);
            if (!country.matches("[A-Z]{2}")) {
                throw new InvalidValue("country must be a two-letter ISO 3166 code such as DE");
            }
            out.put("country", country);
        }
        BigDecimal lat = null;
        BigDecimal lng = null;
        if (value.has("lat") || value.has("lng")) {
            Geo.Point p = Geo.point(value);
            out.put("lat", p.lat()).put("lng", p.lng());
            lat = BigDecimal.valueOf(p.lat());
            lng = BigDecimal.valueOf(p.lng());
        }
        String postcode = out.has("postcode") ? postcodeKey(out.path("postcode").asText()) : null;
        return new Stored(postcode, null, lat, lng, null, null, out.toString());
    }

    /** The indexed form of a postcode: upper case without spaces or dashes ("sw1a 1aa" → "SW1A1AA"). */
    static String postcodeKey(String postcode) {
        return postcode.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
    }

    /** The JSON value of stored columns. */
    static Object decode(FieldType type, Stored s) {
        try {
            return switch (type) {
                case TEXT, URL, EMAIL, PHONE, SELECT -> s.text();
                case TEXTAREA -> s.json();
                case INTEGER -> s.integer();
                case BOOLEAN -> s.integer() == null ? null : s.integer() != 0;
                case DECIMAL -> s.decimal() == null ? null : s.decimal().stripTrailingZeros();
                case DATE -> s.date() == null ? null : s.date().toString();
                case DATETIME -> s.datetime() == null ? null : s.datetime().toString();
                case MULTI_SELECT, POINT, POLYGON, ADDRESS -> s.json() == null ? null : JSON.readTree(s.json());
            };
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ query operands

    /** A filter operand as the column holds it, without the field's own limits (min/max, options). */
    static Object operand(FieldType type, JsonNode value) throws InvalidValue {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new InvalidValue("needs a value");
        }
        return switch (type) {
            case TEXT, TEXTAREA, URL, EMAIL, PHONE, SELECT, MULTI_SELECT -> string(value);
            case ADDRESS -> postcodeKey(string(value));
            case INTEGER -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new InvalidValue("needs a whole number");
                }
                yield value.asLong();
            }
            case DECIMAL -> {
                if (!value.isNumber()) {
                    throw new InvalidValue("needs a number");
                }
                yield value.decimalValue();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new InvalidValue("needs true or false");
                }
                yield value.asBoolean() ? 1L : 0L;
            }
            case DATE -> java.sql.Date.valueOf(date(value));
            case DATETIME -> java.sql.Timestamp.from(datetime(value));
            case POINT, POLYGON -> throw new InvalidValue("can only be searched with near");
        };
    }

    private static String string(JsonNode value) throws InvalidValue {
        if (!value.isTextual()) {
            throw new InvalidValue("must be text");
        }
        String text = value.asText();
        if (text.indexOf('\u0000') >= 0) {
            throw new InvalidValue("must not contain NUL characters");
        }
        return text;
    }

    private static LocalDate date(JsonNode value) throws InvalidValue {
        try {
            if (value.isTextual()) {
                return LocalDate.parse(value.asText());
            }
        } catch (DateTimeParseException e) {
            // falls through to the message
        }
        throw new InvalidValue("must be a date such as 2026-11-23");
    }

    private static Instant datetime(JsonNode value) throws InvalidValue {
        try {
            if (value.isTextual()) {
                return OffsetDateTime.parse(value.asText()).toInstant();
            }
        } catch (DateTimeParseException e) {
            // falls through to the message
        }
        throw new InvalidValue("must be a date and time with offset such as 2026-11-23T14:30:00Z");
    }

    private static void bounds(BigDecimal value, Map<String, Object> cfg) throws InvalidValue {
        if (cfg.get("min") != null && value.compareTo(new BigDecimal(cfg.get("min").toString())) < 0) {
            throw new InvalidValue("must be at least " + cfg.get("min"));
        }
        if (cfg.get("max") != null && value.compareTo(new BigDecimal(cfg.get("max").toString())) > 0) {
            throw new InvalidValue("must be at most " + cfg.get("max"));
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> options(Map<String, Object> cfg) {
        List<String> values = new ArrayList<>();
        if (cfg.get("options") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    values.add(String.valueOf(((Map<String, Object>) m).get("value")));
                }
            }
        }
        return values;
    }
}
