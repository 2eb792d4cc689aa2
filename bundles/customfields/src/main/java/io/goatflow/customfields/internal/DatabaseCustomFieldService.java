package io.goatflow.customfields.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.customfields.CustomFieldService;
import io.goatflow.customfields.EntityAccess;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldFilter;
import io.goatflow.customfields.FieldInput;
import io.goatflow.customfields.FieldType;
import io.goatflow.customfields.QueryResult;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.tickets.TicketListFilter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Custom fields in {@code gk_custom_field_def} / {@code gk_custom_field_value}. Who may see or change an object's
 * fields is asked of the {@link EntityAccess} service registered for its entity type, before any transaction opens.
 */
@Component(service = {CustomFieldService.class, TicketListFilter.class},
        property = TicketListFilter.PREFIX + "=" + DatabaseCustomFieldService.LIST_PREFIX)
public final class DatabaseCustomFieldService implements CustomFieldService, TicketListFilter {
    /** The ticket list's parameter prefix: {@code cf.<name>[.<op>]}. */
    static final String LIST_PREFIX = "cf.";
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    static final Pattern PREFIXED_NAME = Pattern.compile("[a-z][a-z0-9_]{0,199}");
    static final int MAX_FILTERS = 20;
    static final int MAX_LIMIT = 10_000;
    /** Objects one bulk read may name: a page of a list. */
    static final int MAX_BULK_IDS = 500;
    private static final int CHUNK = 1000;
    /** Candidates a query reads at most before it reports a truncated answer. */
    private static final int MAX_SCANNED = 1_000_000;
    static final Set<String> OPERATORS = Set.of("eq", "neq", "gt", "lt", "gte", "lte", "like", "in",
            "between", "near");

    private final Database database;
    private final Map<String, EntityAccess> access = new ConcurrentHashMap<>();
    private volatile Geocoder geocoder;

    /** The fields one call works on, and the names it shows (plugins see theirs without the prefix). */
    private record Scope(String entityType, List<FieldDefinition> fields, Function<FieldDefinition, String> shown) {
        Optional<FieldDefinition> byName(String name) {
            return fields.stream().filter(f -> shown.apply(f).equals(name)).findFirst();
        }
    }

    /** One validated change of a {@link #setValues} call. */
    private record Change(FieldDefinition field, String name, Stored value, JsonNode op) {
    }

    @Activate
    public DatabaseCustomFieldService(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.customfields)") SchemaReady schema) {
        this.database = database;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEntityAccess(EntityAccess entities, Map<String, Object> properties) {
        Object type = properties.get(EntityAccess.ENTITY_TYPE);
        if (type != null) {
            access.put(type.toString(), entities);
        }
    }

    void removeEntityAccess(EntityAccess entities, Map<String, Object> properties) {
        Object type = properties.get(EntityAccess.ENTITY_TYPE);
        if (type != null) {
            access.remove(type.toString(), entities);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setGeocoder(Geocoder geocoder) {
        this.geocoder = geocoder;
    }

    void unsetGeocoder(Geocoder geocoder) {
        if (this.geocoder == geocoder) {
            this.geocoder = null;
        }
    }

    // ------------------------------------------------------------------ definitions

    @Override
    public List<FieldDefinition> definitions(String entityType, boolean withHidden) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (entityType != null) {
            requireType(entityType);
            where.add("entity_type = ?");
            params.add(entityType);
        }
        if (!withHidden) {
            where.add("valid_id = 1");
        }
        return database.inTransaction(c -> DefinitionRows.list(c, String.join(" AND ", where), params));
    }

    @Override
    public Optional<FieldDefinition> definition(long id) {
        return database.inTransaction(c -> DefinitionRows.byId(c, id));
    }

    @Override
    public FieldDefinition create(FieldInput input) {
        if (input == null) {
            throw ApiException.validation("A field definition is required");
        }
        Map<String, String> errors = new TreeMap<>();
        Draft draft = Draft.of(input, null, errors);
        if (!errors.isEmpty()) {
            throw ApiException.fieldErrors(errors);
        }
        Instant now = Instant.now();
        return database.inTransaction(c -> {
            if (!DefinitionRows.list(c, "entity_type = ? AND name = ?", Jdbc.params(draft.entityType, draft.name))
                    .isEmpty()) {
                throw ApiException.conflict("DUPLICATE", "The " + draft.entityType + " field '" + draft.name
                        + "' exists already");
            }
            long id = insert(c, draft, FieldDefinition.OWNER_ADMIN, null, null, now);
            return DefinitionRows.byId(c, id).orElseThrow();
        });
    }

    @Override
    public FieldDefinition update(long id, FieldInput input) {
        if (input == null) {
            throw ApiException.validation("A field definition is required");
        }
        FieldDefinition existing = definition(id).orElseThrow(() -> ApiException.notFound("Custom field"));
        if (FieldDefinition.OWNER_PLUGIN.equals(existing.ownerType())) {
            throw ApiException.conflict("PLUGIN_OWNED", "The plugin " + existing.ownerPlugin()
                    + " defines this field; change it in the plugin's manifest");
        }
        Map<String, String> errors = new TreeMap<>();
        Draft draft = Draft.of(input, existing, errors);
        if (!errors.isEmpty()) {
            throw ApiException.fieldErrors(errors);
        }
        return database.inTransaction(c -> {
            if (!draft.fieldType.equals(existing.fieldType()) && hasValues(c, id)) {
                throw ApiException.conflict("FIELD_IN_USE", "The type of a field with values cannot change;"
                        + " clear its values or create a new field");
            }
            update(c, id, draft, Instant.now());
            return DefinitionRows.byId(c, id).orElseThrow();
        });
    }

    @Override
    public void delete(long id) {
        FieldDefinition existing = definition(id).orElseThrow(() -> ApiException.notFound("Custom field"));
        if (FieldDefinition.OWNER_PLUGIN.equals(existing.ownerType())) {
            throw ApiException.conflict("PLUGIN_OWNED", "The plugin " + existing.ownerPlugin()
                    + " defines this field; it is hidden when the plugin stops declaring it");
        }
        database.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM gk_custom_field_value WHERE field_id = ?", Jdbc.params(id));
            return Jdbc.update(c, "DELETE FROM gk_custom_field_def WHERE id = ?", Jdbc.params(id));
        });
    }

    @Override
    public List<String> declare(String plugin, List<FieldInput> fields) {
        List<String> problems = new ArrayList<>();
        List<Draft> drafts = new ArrayList<>();
        for (FieldInput f : fields == null ? List.<FieldInput>of() : fields) {
            Map<String, String> errors = new TreeMap<>();
            FieldInput named = new FieldInput(f.entityType(), f.name() == null ? null : prefixed(plugin, f.name()),
                    f.label() == null ? f.name() : f.label(), f.fieldType(), f.section(), f.order(), f.required(),
                    f.customerVisible(), f.description(), f.placeholder(), f.config(), true);
            if (f.name() == null || !NAME.matcher(f.name()).matches()) {
                errors.put("name", "must start with a letter and use only a-z, 0-9 and _ (at most 63)");
            }
            Draft d = Draft.of(named, null, errors, PREFIXED_NAME);
            if (errors.isEmpty()) {
                drafts.add(d);
            } else {
                problems.add("custom field " + f.name() + ": " + errors);
            }
        }
        Instant now = Instant.now();
        database.inTransaction(c -> {
            List<FieldDefinition> own = DefinitionRows.list(c, "owner_type = ? AND owner_plugin = ?",
                    Jdbc.params(FieldDefinition.OWNER_PLUGIN, plugin));
            Set<Long> declared = new HashSet<>();
            for (Draft d : drafts) {
                Optional<FieldDefinition> same = DefinitionRows.list(c, "entity_type = ? AND name = ?",
                        Jdbc.params(d.entityType, d.name)).stream().findFirst();
                if (same.isEmpty()) {
                    declared.add(insert(c, d, FieldDefinition.OWNER_PLUGIN, plugin, null, now));
                } else if (!plugin.equals(same.get().ownerPlugin())) {
                    problems.add("custom field " + d.name + ": an " + same.get().ownerType() + " field of that name"
                            + " exists; not declared");
                } else {
                    FieldDefinition f = same.get();
                    declared.add(f.id());
                    if (!d.fieldType.equals(f.fieldType()) && hasValues(c, f.id())) {
                        problems.add("custom field " + d.name + ": has values, its type stays " + f.fieldType());
                        d.fieldType = f.fieldType();
                        d.config = ValueCodec.JSON.valueToTree(f.config()).toString();
                    }
                    update(c, f.id(), d, now);
                }
            }
            for (FieldDefinition f : own) {
                if (!declared.contains(f.id()) && f.valid()) {
                    Jdbc.update(c, "UPDATE gk_custom_field_def SET valid_id = 2, change_time = ? WHERE id = ?",
                            Jdbc.params(now, f.id()));
                }
            }
            return null;
        });
        return problems;
    }

    private static String prefixed(String plugin, String name) {
        return plugin.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + name;
    }

    /** Inserts a validated definition; also used by the legacy import. */
    static long insert(Connection c, Draft d, String owner, String plugin, Long migratedFrom, Instant now)
            throws SQLException {
        return Jdbc.insert(c, "INSERT INTO gk_custom_field_def (entity_type, name, label, field_type, section,"
                + " field_order, required, customer_visible, description, placeholder, config, owner_type, owner_plugin,"
                + " migrated_from, valid_id, create_time, change_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?)", Jdbc.params(d.entityType, d.name, d.label, d.fieldType, d.section, d.order,
                        d.required ? 1 : 0, d.customerVisible ? 1 : 0, d.description, d.placeholder, d.config, owner,
                        plugin, migratedFrom, d.valid ? 1 : 2, now, now));
    }

    private static void update(Connection c, long id, Draft d, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE gk_custom_field_def SET label = ?, field_type = ?, section = ?, field_order = ?,"
                + " required = ?, customer_visible = ?, description = ?, placeholder = ?, config = ?, valid_id = ?,"
                + " change_time = ? WHERE id = ?", Jdbc.params(d.label, d.fieldType, d.section, d.order,
                        d.required ? 1 : 0, d.customerVisible ? 1 : 0, d.description, d.placeholder, d.config,
                        d.valid ? 1 : 2, now, id));
    }

    private static boolean hasValues(Connection c, long fieldId) throws SQLException {
        return !Jdbc.rows(c, "SELECT 1 AS one FROM gk_custom_field_value WHERE field_id = ? FETCH FIRST 1 ROWS ONLY",
                Jdbc.params(fieldId)).isEmpty();
    }

    /** A definition's columns after validation; also used by the legacy import. */
    static final class Draft {
        String entityType;
        String name;
        String label;
        String fieldType;
        String section;
        int order;
        boolean required;
        boolean customerVisible;
        String description;
        String placeholder;
        String config;
        boolean valid = true;

        /** Validates {@code in} (over {@code existing} for updates); problems go to {@code errors} by member. */
        static Draft of(FieldInput in, FieldDefinition existing, Map<String, String> errors) {
            return of(in, existing, errors, NAME);
        }

        static Draft of(FieldInput in, FieldDefinition existing, Map<String, String> errors, Pattern names) {
            Draft d = new Draft();
            d.entityType = existing != null ? existing.entityType() : in.entityType();
            d.name = existing != null ? existing.name() : in.name();
            if (existing != null) {
                if (in.entityType() != null && !in.entityType().equals(existing.entityType())) {
                    errors.put("entity_type", "cannot change; create a new field");
                }
                if (in.name() != null && !in.name().equals(existing.name())) {
                    errors.put("name", "cannot change; create a new field");
                }
            } else {
                if (d.entityType == null || !ENTITY_TYPES.contains(d.entityType)) {
                    errors.put("entity_type", "must be one of " + String.join(", ", ENTITY_TYPES));
                }
                // plugin fields add "<plugin>_" to a name of at most 63 characters
                if (d.name == null || !names.matcher(d.name).matches()) {
                    errors.put("name", "must start with a letter and use only a-z, 0-9 and _ (at most 63)");
                }
            }
            d.label = text(in.label(), existing == null ? null : existing.label(), 200, true, "label", errors);
            d.fieldType = in.fieldType() != null ? in.fieldType() : existing == null ? null : existing.fieldType();
            Optional<FieldType> type = FieldType.of(d.fieldType == null ? "" : d.fieldType);
            if (type.isEmpty()) {
                errors.put("field_type", "must be one of " + java.util.Arrays.stream(FieldType.values())
                        .map(FieldType::wire).collect(Collectors.joining(", ")));
            }
            d.section = text(in.section(), existing == null ? null : existing.section(), 100, false, "section", errors);
            d.description = text(in.description(), existing == null ? null : existing.description(), 1000, false,
                    "description", errors);
            d.placeholder = text(in.placeholder(), existing == null ? null : existing.placeholder(), 200, false,
                    "placeholder", errors);
            d.order = in.order() != null ? in.order() : existing == null ? 0 : existing.order();
            if (d.order < -100_000 || d.order > 100_000) {
                errors.put("order", "must be between -100000 and 100000");
            }
            d.required = in.required() != null ? in.required() : existing != null && existing.required();
            d.customerVisible = in.customerVisible() != null ? in.customerVisible()
                    : existing != null && existing.customerVisible();
            d.valid = in.valid() != null ? in.valid() : existing == null || existing.valid();
            if (type.isPresent()) {
                Map<String, Object> raw = in.config() != null ? in.config()
                        : existing != null && type.get().wire().equals(existing.fieldType()) ? existing.config() : null;
                try {
                    d.config = ValueCodec.JSON.writeValueAsString(ValueCodec.config(type.get(), raw));
                } catch (InvalidValue e) {
                    errors.put("config", e.getMessage().replaceFirst("^config: ", ""));
                } catch (JsonProcessingException e) {
                    errors.put("config", "cannot be stored");
                }
            }
            return d;
        }

        private static String text(String value, String fallback, int max, boolean required, String member,
                Map<String, String> errors) {
            String v = value != null ? value.strip() : fallback;
            if (required && (v == null || v.isEmpty())) {
                errors.put(member, "is required");
            } else if (v != null && v.length() > max) {
                errors.put(member, "is longer than " + max + " characters");
            } else if (v != null && v.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
                errors.put(member, "contains control characters");
            }
            return v == null || v.isEmpty() ? null : v;
        }
    }

    // ------------------------------------------------------------------ values

    @Override
    public Map<String, Object> values(Caller caller, String entityType, long objectId) {
        EntityAccess entities = entities(entityType);
        if (!entities.readable(caller, List.of(objectId)).contains(objectId)) {
            throw ApiException.notFound("Object");
        }
        Scope scope = callerScope(caller, entityType);
        return database.inTransaction(c -> read(c, scope, objectId));
    }

    @Override
    public Map<Long, Map<String, Object>> values(Caller caller, String entityType, Collection<Long> objectIds) {
        EntityAccess entities = entities(entityType);
        if (objectIds == null || objectIds.size() > MAX_BULK_IDS) {
            throw ApiException.fieldErrors(Map.of("ids", "give at most " + MAX_BULK_IDS + " ids"));
        }
        Set<Long> asked = new LinkedHashSet<>(objectIds);
        Set<Long> visible = asked.isEmpty() ? Set.of() : entities.readable(caller, asked);
        List<Long> shown = asked.stream().filter(visible::contains).toList();
        Scope scope = callerScope(caller, entityType);
        return database.inTransaction(c -> read(c, scope, shown));
    }

    @Override
    public Map<String, Object> setValues(Caller caller, String entityType, long objectId,
            Map<String, JsonNode> values) {
        EntityAccess entities = entities(entityType);
        if (!entities.readable(caller, List.of(objectId)).contains(objectId)) {
            throw ApiException.notFound("Object");
        }
        if (!entities.writable(caller, objectId)) {
            throw new ApiException(403, "PERMISSION_DENIED", "You may not change the fields of this " + entityType);
        }
        return apply(callerScope(caller, entityType), objectId, values);
    }

    @Override
    public Map<String, Object> pluginValues(String plugin, long orgId, String entityType, long objectId,
            List<String> fields) {
        Scope scope = pluginScope(plugin, entityType);
        requireExists(entityType, objectId, orgId);
        Map<String, Object> all = database.inTransaction(c -> read(c, scope, objectId));
        if (fields == null || fields.isEmpty()) {
            return all;
        }
        Map<String, String> unknown = new TreeMap<>();
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String f : fields) {
            if (!all.containsKey(f)) {
                unknown.put(f, "is not a field of this plugin on " + entityType);
            } else {
                picked.put(f, all.get(f));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.fieldErrors(unknown);
        }
        return picked;
    }

    @Override
    public Map<String, Object> setPluginValues(String plugin, long orgId, String entityType, long objectId,
            Map<String, JsonNode> values) {
        Scope scope = pluginScope(plugin, entityType);
        requireExists(entityType, objectId, orgId);
        return apply(scope, objectId, values);
    }

    private void requireExists(String entityType, long objectId, long orgId) {
        EntityAccess entities = entities(entityType);
        if (!entities.readable(null, List.of(objectId)).contains(objectId)
                || !entities.inOrganisation(orgId, List.of(objectId)).contains(objectId)) {
            throw ApiException.notFound("Object");
        }
    }

    private EntityAccess entities(String entityType) {
        requireType(entityType);
        EntityAccess entities = access.get(entityType);
        if (entities == null) {
            throw ApiException.unavailable("AREA_UNAVAILABLE", "Custom fields of " + entityType
                    + " are not available right now; try again shortly");
        }
        return entities;
    }

    private static void requireType(String entityType) {
        if (entityType == null || !ENTITY_TYPES.contains(entityType)) {
            throw ApiException.notFound("Entity type");
        }
    }

    private Scope callerScope(Caller caller, String entityType) {
        List<FieldDefinition> fields = definitions(entityType, false).stream()
                .filter(f -> caller == null || caller.isAgent() || f.customerVisible()).toList();
        return new Scope(entityType, fields, FieldDefinition::name);
    }

    private Scope pluginScope(String plugin, String entityType) {
        requireType(entityType);
        String prefix = prefixed(plugin, "");
        List<FieldDefinition> fields = database.inTransaction(c -> DefinitionRows.list(c,
                "entity_type = ? AND owner_type = ? AND owner_plugin = ? AND valid_id = 1",
                Jdbc.params(entityType, FieldDefinition.OWNER_PLUGIN, plugin)));
        return new Scope(entityType, fields, f -> f.name().startsWith(prefix) ? f.name().substring(prefix.length())
                : f.name());
    }

    private Map<String, Object> read(Connection c, Scope scope, long objectId) throws SQLException {
        return read(c, scope, List.of(objectId)).get(objectId);
    }

    /** The values of each object, every field of the scope present (null where unset), in the order of {@code ids}. */
    private Map<Long, Map<String, Object>> read(Connection c, Scope scope, Collection<Long> objectIds)
            throws SQLException {
        Map<Long, Map<Long, Stored>> stored = new HashMap<>();
        if (!scope.fields().isEmpty() && !objectIds.isEmpty()) {
            String fields = scope.fields().stream().map(f -> Long.toString(f.id())).collect(Collectors.joining(","));
            try (PreparedStatement q = c.prepareStatement("SELECT object_id, field_id, val_text, val_int, val_decimal,"
                    + " val_decimal2, val_date, val_datetime, val_json FROM gk_custom_field_value WHERE object_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(objectIds.size(), "?")) + ")"
                    + " AND field_id IN (" + fields + ")")) {
                Jdbc.bind(q, new ArrayList<>(objectIds));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.computeIfAbsent(rs.getLong("object_id"), k -> new HashMap<>())
                                .put(rs.getLong("field_id"), stored(rs));
                    }
                }
            }
        }
        Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
        for (Long id : objectIds) {
            Map<Long, Stored> own = stored.getOrDefault(id, Map.of());
            Map<String, Object> values = new LinkedHashMap<>();
            for (FieldDefinition f : scope.fields()) {
                Stored s = own.get(f.id());
                values.put(scope.shown().apply(f), s == null ? null : ValueCodec.decode(f.type(), s));
            }
            out.put(id, values);
        }
        return out;
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        java.sql.Date date = rs.getDate("val_date");
        return new Stored(rs.getString("val_text"), Jdbc.nullableLong(rs, "val_int"), rs.getBigDecimal("val_decimal"),
                rs.getBigDecimal("val_decimal2"), date == null ? null : date.toLocalDate(),
                Jdbc.instant(rs, "val_datetime"), rs.getString("val_json"));
    }

    private Map<String, Object> apply(Scope scope, long objectId, Map<String, JsonNode> values) {
        if (values == null || values.isEmpty()) {
            throw ApiException.fieldErrors(Map.of("values", "name at least one field to set"));
        }
        Map<String, String> errors = new TreeMap<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : values.entrySet()) {
            String name = e.getKey();
            Optional<FieldDefinition> field = scope.byName(name);
            if (field.isEmpty()) {
                errors.put(name, "is not a field of " + scope.entityType());
                continue;
            }
            FieldDefinition f = field.get();
            JsonNode value = e.getValue();
            try {
                if (value == null || value.isNull()) {
                    if (f.required()) {
                        throw new InvalidValue("is required");
                    }
                    changes.add(new Change(f, name, null, null));
                } else if (value.isObject() && value.has("op")) {
                    FieldOps.check(f, value);
                    changes.add(new Change(f, name, null, value));
                } else {
                    changes.add(new Change(f, name, locate(f, ValueCodec.encode(f, value)), null));
                }
            } catch (InvalidValue invalid) {
                errors.put(name, invalid.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.fieldErrors(errors);
        }
        // rows are locked in one order, so two writes to the same fields cannot deadlock
        changes.sort(java.util.Comparator.comparingLong(c -> c.field().id()));
        Instant now = Instant.now();
        return database.inTransaction(c -> {
            for (Change change : changes) {
                long fieldId = change.field().id();
                if (change.op() != null) {
                    ensureRow(c, fieldId, objectId, now);
                    Stored current = lockedValue(c, fieldId, objectId);
                    JsonNode next = FieldOps.apply(change.field(), change.name(), change.op(), current);
                    if (next == null || next.isNull()) {
                        if (change.field().required()) {
                            throw ApiException.fieldErrors(Map.of(change.name(), "is required"));
                        }
                        delete(c, fieldId, objectId);
                    } else {
                        try {
                            write(c, fieldId, objectId, ValueCodec.encode(change.field(), next), now);
                        } catch (InvalidValue invalid) {
                            throw ApiException.fieldErrors(Map.of(change.name(), invalid.getMessage()));
                        }
                    }
                } else if (change.value() == null) {
                    delete(c, fieldId, objectId);
                } else {
                    ensureRow(c, fieldId, objectId, now);
                    write(c, fieldId, objectId, change.value(), now);
                }
            }
            return read(c, scope, objectId);
        });
    }

    /** Adds a position to an address when its field asks for geocoding and a provider is configured. */
    private Stored locate(FieldDefinition f, Stored value) {
        Geocoder g = geocoder;
        if (f.type() != FieldType.ADDRESS || value.decimal() != null || g == null
                || !Boolean.TRUE.equals(f.config().get("geocode"))) {
            return value;
        }
        try {
            ObjectNode address = (ObjectNode) ValueCodec.JSON.readTree(value.json());
            String query = List.of("street", "postcode", "city", "region", "country").stream()
                    .map(p -> address.path(p).asText("")).filter(s -> !s.isEmpty()).collect(Collectors.joining(", "));
            Optional<Geo.Point> p = g.locate(query);
            if (p.isEmpty()) {
                return value;
            }
            address.put("lat", p.get().lat()).put("lng", p.get().lng());
            return new Stored(value.text(), null, BigDecimal.valueOf(p.get().lat()),
                    BigDecimal.valueOf(p.get().lng()), null, null, address.toString());
        } catch (JsonProcessingException e) {
            return value;
        }
    }

    /** Makes sure the row exists, atomically on both databases, so that it can be locked and updated. */
    private void ensureRow(Connection c, long fieldId, long objectId, Instant now) throws SQLException {
        if (database.kind() == DatabaseKind.POSTGRESQL) {
            Jdbc.update(c, "INSERT INTO gk_custom_field_value (field_id, object_id, change_time) VALUES (?, ?, ?)"
                    + " ON CONFLICT (field_id, object_id) DO NOTHING", Jdbc.params(fieldId, objectId, now));
            return;
        }
        for (int attempt = 0;; attempt++) {
            try {
                Jdbc.update(c, "MERGE INTO gk_custom_field_value (field_id, object_id, change_time)"
                        + " KEY (field_id, object_id) VALUES (?, ?, ?)", Jdbc.params(fieldId, objectId, now));
                return;
            } catch (SQLException e) {
                // two first writes at once: the loser's insert collides; the row now exists, merge again
                if (attempt > 2 || !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static Stored lockedValue(Connection c, long fieldId, long objectId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT val_text, val_int, val_decimal, val_decimal2, val_date,"
                + " val_datetime, val_json FROM gk_custom_field_value WHERE field_id = ? AND object_id = ? FOR UPDATE")) {
            q.setLong(1, fieldId);
            q.setLong(2, objectId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? stored(rs) : new Stored(null, null, null, null, null, null, null);
            }
        }
    }

    private static void write(Connection c, long fieldId, long objectId, Stored v, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE gk_custom_field_value SET val_text = ?, val_int = ?, val_decimal = ?, val_decimal2 = ?,"
                + " val_date = ?, val_datetime = ?, val_json = ?, change_time = ? WHERE field_id = ? AND object_id = ?",
                Jdbc.params(v.text(), v.integer(), v.decimal(), v.decimal2(),
                        v.date() == null ? null : java.sql.Date.valueOf(v.date()), v.datetime(), v.json(), now,
                        fieldId, objectId));
    }

    private static void delete(Connection c, long fieldId, long objectId) throws SQLException {
        Jdbc.update(c, "DELETE FROM gk_custom_field_value WHERE field_id = ? AND object_id = ?",
                Jdbc.params(fieldId, objectId));
    }

    // ------------------------------------------------------------------ queries

    @Override
    public QueryResult query(Caller caller, String entityType, List<FieldFilter> filters, int limit) {
        EntityAccess entities = entities(entityType);
        return run(callerScope(caller, entityType), entities, caller, 0, filters, limit);
    }

    @Override
    public QueryResult pluginQuery(String plugin, long orgId, String entityType, List<FieldFilter> filters,
            int limit) {
        EntityAccess entities = entities(entityType);
        return run(pluginScope(plugin, entityType), entities, null, orgId, filters, limit);
    }

    /**
     * The ticket list's {@code cf.*} parameters as one subquery of matching ticket ids. The list applies the ticket
     * permissions itself; here only the fields the caller may see can be filtered on (customers: customer-visible).
     */
    @Override
    public IdSubquery select(Caller caller, Map<String, List<String>> parameters) {
        Scope scope = callerScope(caller, "ticket");
        List<FieldFilter> filters = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Map<String, String> errors = new TreeMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String label = LIST_PREFIX + parameter.getKey();
            ListFilterParameters.Key key = ListFilterParameters.Key.of(parameter.getKey());
            Optional<FieldDefinition> field = scope.byName(key.field());
            if (field.isEmpty()) {
                errors.put(label, "'" + key.field() + "' is not a ticket field");
                continue;
            }
            try {
                for (FieldFilter filter : ListFilterParameters.filters(field.get(), key.field(), key.op(),
                        parameter.getValue())) {
                    filters.add(filter);
                    labels.add(label);
                }
            } catch (InvalidValue e) {
                errors.put(label, e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.fieldErrors(errors);
        }
        FieldQuery query = FieldQuery.of("ticket", filters, scope::byName, labels::get);
        return new IdSubquery(query.subquery(), query.parameters());
    }

    /** {@code orgId} limits the platform's own queries (caller null) to one organisation's objects. */
    private QueryResult run(Scope scope, EntityAccess entities, Caller caller, long orgId, List<FieldFilter> filters,
            int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.fieldErrors(Map.of("limit", "must be between 1 and " + MAX_LIMIT));
        }
        FieldQuery query = FieldQuery.of(scope.entityType(), filters, scope::byName);
        List<Long> ids = new ArrayList<>();
        long after = Long.MIN_VALUE;
        int scanned = 0;
        boolean more = true;
        while (more && ids.size() <= limit && scanned < MAX_SCANNED) {
            long from = after;
            List<Long> hits = database.inTransaction(c -> query.page(c, from, CHUNK));
            more = hits.size() == CHUNK;
            scanned += hits.size();
            if (hits.isEmpty()) {
                break;
            }
            after = hits.get(hits.size() - 1);
            Set<Long> candidates = new LinkedHashSet<>(hits);
            Set<Long> visible = candidates.isEmpty() ? Set.of() : entities.readable(caller, candidates);
            if (caller == null && !visible.isEmpty()) {
                visible = entities.inOrganisation(orgId, visible);
            }
            for (Long id : candidates) {
                if (visible.contains(id)) {
                    ids.add(id);
                }
            }
        }
        boolean truncated = ids.size() > limit || (more && scanned >= MAX_SCANNED);
        return new QueryResult(scope.entityType(), List.copyOf(ids.subList(0, Math.min(limit, ids.size()))),
                truncated);
    }
}
