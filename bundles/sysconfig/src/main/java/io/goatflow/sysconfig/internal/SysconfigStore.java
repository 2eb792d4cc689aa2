package io.goatflow.sysconfig.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goatflow.events.DomainEvents;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.ConfigScope;
import io.goatflow.sysconfig.ConfigSet;
import io.goatflow.sysconfig.Resolution;
import io.goatflow.sysconfig.ScopedConfig;
import io.goatflow.sysconfig.Setting;
import io.goatflow.sysconfig.SettingRefusedException;
import io.goatflow.sysconfig.TierValue;
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
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Reads and writes sysconfig rows; the {@link ConfigGet}, {@link ConfigSet} and {@link ScopedConfig} of the
 * platform. Nothing is cached: several instances share the database, and each lookup is one query that joins the
 * three override tiers onto the default.
 */
@Component(service = {ConfigGet.class, ConfigSet.class, ScopedConfig.class, SysconfigStore.class})
public final class SysconfigStore implements ConfigGet, ConfigSet, ScopedConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAME_MAX = 250;

    /**
     * Every tier of a setting for one organisation (first parameter) and one agent (second; 0 for none, which
     * matches no row). Organisation and user values of read-only settings, and user values of settings no longer
     * user-modifiable, are left out here rather than deleted: they take effect again if the rule is lifted. The
     * system tier keeps its older behaviour and applies whatever the flags say.
     */
    private static final String RESOLVE = "SELECT d.id, d.name, d.description, d.navigation, d.is_readonly,"
            + " d.user_modification_possible,"
            + " d.effective_value AS default_value, d.change_time AS default_time, d.change_by AS default_by,"
            + " m.effective_value AS system_value, m.change_time AS system_time, m.change_by AS system_by,"
            + " o.effective_value AS org_value, o.change_time AS org_time, o.change_by AS org_by,"
            + " u.effective_value AS user_value, u.change_time AS user_time, u.change_by AS user_by"
            + " FROM sysconfig_default d"
            + " LEFT JOIN sysconfig_modified m"
            + " ON m.sysconfig_default_id = d.id AND m.user_id IS NULL AND m.is_valid = 1"
            + " LEFT JOIN sysconfig_org o"
            + " ON o.sysconfig_default_id = d.id AND o.org_id = ? AND d.is_readonly = 0"
            + " LEFT JOIN sysconfig_modified u"
            + " ON u.sysconfig_default_id = d.id AND u.user_id = ? AND u.is_valid = 1"
            + " AND d.user_modification_possible = 1 AND d.is_readonly = 0"
            + " WHERE d.is_valid = 1 AND d.is_invisible = 0";
    private static final String USER_MODIFIABLE = " AND d.user_modification_possible = 1 AND d.is_readonly = 0";

    private final Database database;
    private final AtomicReference<DomainEvents> events = new AtomicReference<>();

    /** One setting as the REST API shows it: what the resolution knows, plus its texts. */
    record Entry(long id, String description, String navigation, Resolution resolution) {
        String name() {
            return resolution.name();
        }
    }

    @Activate
    public SysconfigStore(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.sysconfig)") SchemaReady schema) {
        this.database = database;
    }

    @Reference(name = "events", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindEvents")
    void bindEvents(DomainEvents current) {
        events.set(current);
    }

    void unbindEvents(DomainEvents gone) {
        // a greedy reference binds the better service before unbinding the old one: keep the newer
        events.compareAndSet(gone, null);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Setting> setting(String name) {
        return setting(name, ConfigScope.SYSTEM);
    }

    @Override
    public Optional<Setting> setting(String name, ConfigScope scope) {
        return entry(name, scope).map(e -> e.resolution().setting());
    }

    @Override
    public Optional<Resolution> resolution(String name, ConfigScope scope) {
        return entry(name, scope).map(Entry::resolution);
    }

    Optional<Entry> entry(String name) {
        return entry(name, ConfigScope.SYSTEM);
    }

    Optional<Entry> entry(String name, ConfigScope scope) {
        if (!plausibleName(name)) {
            return Optional.empty();
        }
        return database.inTransaction(c -> entryIn(c, name, scope));
    }

    /** One page of settings system-wide, optionally those whose name contains {@code search}, ordered by name. */
    List<Entry> list(String search, int offset, int limit) {
        return page(ConfigScope.SYSTEM, "", search, offset, limit);
    }

    long count(String search) {
        return countWhere("", search);
    }

    /** One page of the settings agents may set for themselves, resolved for {@code scope}, ordered by name. */
    List<Entry> userModifiable(ConfigScope scope, int offset, int limit) {
        return page(scope, USER_MODIFIABLE, null, offset, limit);
    }

    long countUserModifiable() {
        return countWhere(USER_MODIFIABLE, null);
    }

    @Override
    public List<TierValue> orgValues(long orgId) {
        requirePositive(orgId, "organisation");
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT d.name, o.effective_value, o.change_time,"
                    + " o.change_by FROM sysconfig_org o JOIN sysconfig_default d ON d.id = o.sysconfig_default_id"
                    + " WHERE o.org_id = ? AND d.is_valid = 1 AND d.is_invisible = 0 AND d.is_readonly = 0"
                    + " ORDER BY d.name")) {
                q.setLong(1, orgId);
                List<TierValue> values = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        values.add(new TierValue(rs.getString(1), Setting.Tier.ORG, fromJson(rs.getString(2)),
                                rs.getTimestamp(3).toInstant(), rs.getLong(4)));
                    }
                }
                return values;
            }
        });
    }

    private List<Entry> page(ConfigScope scope, String condition, String search, int offset, int limit) {
        return database.inTransaction(c -> {
            String sql = RESOLVE + condition + (search == null ? "" : " AND LOWER(d.name) LIKE ? ESCAPE '\\'")
                    + " ORDER BY d.name LIMIT ? OFFSET ?";
            try (PreparedStatement q = c.prepareStatement(sql)) {
                int i = bindScope(q, scope);
                if (search != null) {
                    q.setString(i++, likePattern(search));
                }
                q.setInt(i++, limit);
                q.setInt(i, offset);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        entries.add(read(rs, scope));
                    }
                }
                return entries;
            }
        });
    }

    private long countWhere(String condition, String search) {
        return database.inTransaction(c -> {
            String sql = "SELECT COUNT(*) FROM sysconfig_default d WHERE d.is_valid = 1 AND d.is_invisible = 0"
                    + condition + (search == null ? "" : " AND LOWER(d.name) LIKE ? ESCAPE '\\'");
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

    // ------------------------------------------------------------------ system tier

    /**
     * Sets the system-tier value of {@code name}. The default row is locked first, so concurrent writers of one
     * setting queue up instead of inserting two overrides (the same holds for every tier below).
     *
     * @return the entry after the change, or empty if no such setting exists
     * @throws SettingRefusedException when the setting is read-only or the value has the wrong type
     */
    Optional<Entry> override(String name, Object value, long userId) {
        if (!plausibleName(name)) {
            return Optional.empty();
        }
        Optional<Entry> result = database.inTransaction(c -> {
            Optional<Long> id = lockDefault(c, name);
            if (id.isEmpty()) {
                return Optional.<Entry>empty();
            }
            checkValue(entryIn(c, name, ConfigScope.SYSTEM).orElseThrow(), value);
            Timestamp now = Timestamp.from(Instant.now());
            String json = toJson(value);
            try (PreparedStatement update = c.prepareStatement("UPDATE sysconfig_modified SET effective_value = ?,"
                    + " is_valid = 1, change_time = ?, change_by = ? WHERE sysconfig_default_id = ? AND user_id IS NULL")) {
                update.setString(1, json);
                update.setTimestamp(2, now);
                update.setLong(3, userId);
                update.setLong(4, id.get());
                if (update.executeUpdate() == 0) {
                    insertModified(c, id.get(), name, null, json, now, userId);
                }
            }
            return entryIn(c, name, ConfigScope.SYSTEM);
        });
        result.ifPresent(e -> publishChange(name, "system", Map.of("changed_by", userId)));
        return result;
    }

    /** Drops the system-tier override so the default applies again. Empty if no such setting exists. */
    Optional<Entry> reset(String name, long userId) {
        if (!plausibleName(name)) {
            return Optional.empty();
        }
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
            return entryIn(c, name, ConfigScope.SYSTEM);
        });
        result.ifPresent(e -> publishChange(name, "system", Map.of("changed_by", userId)));
        return result;
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

    // ------------------------------------------------------------------ organisation tier

    @Override
    public Resolution setOrgValue(long orgId, String name, Object value, long changedBy) {
        requirePositive(orgId, "organisation");
        ConfigScope scope = ConfigScope.org(orgId);
        Resolution result = database.inTransaction(c -> {
            long id = lockDefault(c, checkedName(name)).orElseThrow(SysconfigStore::unknownSetting);
            checkValue(entryIn(c, name, scope).orElseThrow(), value);
            Timestamp now = Timestamp.from(Instant.now());
            String json = toJson(value);
            try (PreparedStatement update = c.prepareStatement("UPDATE sysconfig_org SET effective_value = ?,"
                    + " change_time = ?, change_by = ? WHERE org_id = ? AND sysconfig_default_id = ?")) {
                update.setString(1, json);
                update.setTimestamp(2, now);
                update.setLong(3, changedBy);
                update.setLong(4, orgId);
                update.setLong(5, id);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO sysconfig_org (org_id,"
                            + " sysconfig_default_id, name, effective_value, create_time, create_by, change_time,"
                            + " change_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        insert.setLong(1, orgId);
                        insert.setLong(2, id);
                        insert.setString(3, name);
                        insert.setString(4, json);
                        insert.setTimestamp(5, now);
                        insert.setLong(6, changedBy);
                        insert.setTimestamp(7, now);
                        insert.setLong(8, changedBy);
                        insert.executeUpdate();
                    }
                }
            }
            return entryIn(c, name, scope).orElseThrow().resolution();
        });
        publishChange(name, "org", Map.of("org_id", orgId, "changed_by", changedBy));
        return result;
    }

    @Override
    public Resolution resetOrgValue(long orgId, String name, long changedBy) {
        requirePositive(orgId, "organisation");
        ConfigScope scope = ConfigScope.org(orgId);
        int[] removed = new int[1];
        Resolution result = database.inTransaction(c -> {
            long id = lockDefault(c, checkedName(name)).orElseThrow(SysconfigStore::unknownSetting);
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM sysconfig_org WHERE org_id = ? AND sysconfig_default_id = ?")) {
                delete.setLong(1, orgId);
                delete.setLong(2, id);
                removed[0] = delete.executeUpdate();
            }
            return entryIn(c, name, scope).orElseThrow().resolution();
        });
        if (removed[0] > 0) {
            publishChange(name, "org", Map.of("org_id", orgId, "changed_by", changedBy));
        }
        return result;
    }

    // ------------------------------------------------------------------ user tier

    @Override
    public Resolution setAgentValue(ConfigScope scope, String name, Object value) {
        return writeAgentValue(scope, name, value).resolution();
    }

    @Override
    public Resolution resetAgentValue(ConfigScope scope, String name) {
        return removeAgentValue(scope, name).resolution();
    }

    /** {@link #setAgentValue}, answering with the setting's texts too. */
    Entry writeAgentValue(ConfigScope scope, String name, Object value) {
        long agentId = requireAgent(scope);
        Entry result = database.inTransaction(c -> {
            long id = lockDefault(c, checkedName(name)).orElseThrow(SysconfigStore::unknownSetting);
            Entry current = entryIn(c, name, scope).orElseThrow();
            checkUserModifiable(current);
            checkValue(current, value);
            Timestamp now = Timestamp.from(Instant.now());
            String json = toJson(value);
            try (PreparedStatement update = c.prepareStatement("UPDATE sysconfig_modified SET effective_value = ?,"
                    + " is_valid = 1, change_time = ?, change_by = ? WHERE sysconfig_default_id = ? AND user_id = ?")) {
                update.setString(1, json);
                update.setTimestamp(2, now);
                update.setLong(3, agentId);
                update.setLong(4, id);
                update.setLong(5, agentId);
                if (update.executeUpdate() == 0) {
                    insertModified(c, id, name, agentId, json, now, agentId);
                }
            }
            return entryIn(c, name, scope).orElseThrow();
        });
        publishChange(name, "user", Map.of("user_id", agentId, "changed_by", agentId));
        return result;
    }

    /** {@link #resetAgentValue}, answering with the setting's texts too. */
    Entry removeAgentValue(ConfigScope scope, String name) {
        long agentId = requireAgent(scope);
        int[] removed = new int[1];
        Entry result = database.inTransaction(c -> {
            long id = lockDefault(c, checkedName(name)).orElseThrow(SysconfigStore::unknownSetting);
            Entry current = entryIn(c, name, scope).orElseThrow();
            // Refused like a write: outside user-modifiable settings the user tier does not exist for agents.
            checkUserModifiable(current);
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM sysconfig_modified WHERE sysconfig_default_id = ? AND user_id = ?")) {
                delete.setLong(1, id);
                delete.setLong(2, agentId);
                removed[0] = delete.executeUpdate();
            }
            return entryIn(c, name, scope).orElseThrow();
        });
        if (removed[0] > 0) {
            publishChange(name, "user", Map.of("user_id", agentId, "changed_by", agentId));
        }
        return result;
    }

    // ------------------------------------------------------------------ definitions

    @Override
    public void define(String name, String description, String navigation, Object defaultValue) {
        define(name, description, navigation, defaultValue, false);
    }

    @Override
    public void define(String name, String description, String navigation, Object defaultValue,
            boolean userModifiable) {
        if (name == null || name.isBlank() || name.length() > NAME_MAX) {
            throw new IllegalArgumentException("A setting name has 1 to " + NAME_MAX + " characters");
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
                // OTRS also has user_modification_active (an admin switch on top of "possible"); GoatFlow has no
                // such switch, so a user-modifiable setting is active from the start, which keeps OTRS tools happy.
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO sysconfig_default (name, description,"
                        + " navigation, effective_value, user_modification_possible, user_modification_active,"
                        + " create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, 1)")) {
                    insert.setString(1, name);
                    insert.setString(2, description == null ? "" : description);
                    insert.setString(3, navigation == null ? "" : navigation);
                    insert.setString(4, json);
                    insert.setInt(5, userModifiable ? 1 : 0);
                    insert.setInt(6, userModifiable ? 1 : 0);
                    insert.setTimestamp(7, now);
                    insert.setTimestamp(8, now);
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

    // ------------------------------------------------------------------ helpers

    private void publishChange(String name, String tier, Map<String, Object> scope) {
        DomainEvents current = events.get();
        if (current != null) {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("name", name);
            data.put("tier", tier);
            data.putAll(scope);
            current.publish("config.changed", data);
        }
    }

    /** The same rules on every tier: nothing overrides a read-only setting; the default's JSON type is kept. */
    static void checkValue(Entry current, Object value) {
        String name = current.name();
        Object defaultValue = current.resolution().defaultValue();
        if (current.resolution().readonly()) {
            throw new SettingRefusedException(SettingRefusedException.READONLY, "Setting " + name + " is read-only");
        }
        if (!sameJsonType(defaultValue, value)) {
            throw new SettingRefusedException(SettingRefusedException.INVALID_VALUE, "Setting " + name + " takes a "
                    + jsonType(defaultValue) + ", not a " + jsonType(value));
        }
        if (isWholeNumber(defaultValue) && !isWholeNumber(value)) {
            throw new SettingRefusedException(SettingRefusedException.INVALID_VALUE,
                    "Setting " + name + " takes a whole number");
        }
    }

    private static void checkUserModifiable(Entry current) {
        if (current.resolution().readonly()) {
            throw new SettingRefusedException(SettingRefusedException.READONLY,
                    "Setting " + current.name() + " is read-only");
        }
        if (!current.resolution().userModifiable()) {
            throw new SettingRefusedException(SettingRefusedException.NOT_USER_MODIFIABLE,
                    "Setting " + current.name() + " cannot be set per user");
        }
    }

    private static void insertModified(Connection c, long defaultId, String name, Long agentId, String json,
            Timestamp now, long by) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO sysconfig_modified"
                + " (sysconfig_default_id, name, user_id, effective_value, create_time, create_by,"
                + " change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, defaultId);
            insert.setString(2, name);
            if (agentId == null) {
                insert.setNull(3, java.sql.Types.INTEGER);
            } else {
                insert.setLong(3, agentId);
            }
            insert.setString(4, json);
            insert.setTimestamp(5, now);
            insert.setLong(6, by);
            insert.setTimestamp(7, now);
            insert.setLong(8, by);
            insert.executeUpdate();
        }
    }

    private static void requirePositive(long id, String what) {
        if (id <= 0) {
            throw new IllegalArgumentException("An " + what + " id is positive: " + id);
        }
    }

    private static long requireAgent(ConfigScope scope) {
        if (scope == null || !scope.hasAgent()) {
            throw new IllegalArgumentException("The user tier needs a scope with an agent: " + scope);
        }
        return scope.agentId();
    }

    private static boolean plausibleName(String name) {
        return name != null && !name.isBlank() && name.length() <= NAME_MAX;
    }

    private static String checkedName(String name) {
        if (!plausibleName(name)) {
            throw unknownSetting();
        }
        return name;
    }

    private static ApiException unknownSetting() {
        return ApiException.notFound("Setting");
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

    private static Optional<Entry> entryIn(Connection c, String name, ConfigScope scope) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(RESOLVE + " AND d.name = ?")) {
            int i = bindScope(q, scope);
            q.setString(i, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, scope)) : Optional.empty();
            }
        }
    }

    /** Binds the organisation and agent of {@link #RESOLVE}; returns the next parameter index. */
    private static int bindScope(PreparedStatement q, ConfigScope scope) throws SQLException {
        q.setLong(1, scope.orgId());
        q.setLong(2, scope.agentId());
        return 3;
    }

    private static Entry read(ResultSet rs, ConfigScope scope) throws SQLException {
        String name = rs.getString("name");
        List<TierValue> tiers = new ArrayList<>(4);
        addTier(tiers, rs, name, Setting.Tier.USER, "user");
        addTier(tiers, rs, name, Setting.Tier.ORG, "org");
        addTier(tiers, rs, name, Setting.Tier.SYSTEM, "system");
        addTier(tiers, rs, name, Setting.Tier.DEFAULT, "default");
        Resolution resolution = new Resolution(name, scope, tiers, rs.getInt("is_readonly") == 1,
                rs.getInt("user_modification_possible") == 1);
        return new Entry(rs.getLong("id"), rs.getString("description"), rs.getString("navigation"), resolution);
    }

    private static void addTier(List<TierValue> tiers, ResultSet rs, String name, Setting.Tier tier, String prefix)
            throws SQLException {
        String json = rs.getString(prefix + "_value");
        if (json != null) {
            Timestamp changed = rs.getTimestamp(prefix + "_time");
            tiers.add(new TierValue(name, tier, fromJson(json), changed == null ? null : changed.toInstant(),
                    rs.getLong(prefix + "_by")));
        }
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
