package io.goatflow.securesettings.internal;

import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.securesettings.RotationResult;
import io.goatflow.securesettings.SecureSettingInfo;
import io.goatflow.securesettings.SecureSettings;
import io.goatflow.securesettings.SecureValueUnreadableException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SecureSettings} on the table {@code gk_secure_config}. Nothing is cached: every instance reads the shared
 * database, so a value set on one instance is seen by all at once. A configuration change (fileinstall applies
 * etc/io.goatflow.securesettings.cfg live) loads the keys again without restarting the component, so consumers keep
 * their service; a change that cannot be loaded is refused and the previous keys stay in use.
 */
@Component(service = SecureSettings.class, immediate = true, configurationPid = DatabaseSecureSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecureSettingsConfig.class)
public final class DatabaseSecureSettings implements SecureSettings {
    static final String PID = "io.goatflow.securesettings";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSecureSettings.class);
    /** Compare-and-set attempts per row during rotation before it is reported as skipped. */
    private static final int ROTATE_ATTEMPTS = 3;
    private static final String COLUMNS = "id, org_id, namespace, name, key_id, nonce, ciphertext, change_time,"
            + " change_by";

    private final Database database;
    private final KeyRingLoader loader;
    private final SecureCipher cipher;
    private final Clock clock;
    private final AtomicReference<SecureKeyRing> keys;

    /** A row as stored. */
    record StoredRow(long id, RowIdentity identity, SealedValue sealed, Instant changedAt, long changedBy) {
    }

    private enum RowRotation { ROTATED, UNREADABLE, CONTENDED, NOTHING_TO_DO }

    @Activate
    public DatabaseSecureSettings(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.securesettings)") SchemaReady schema,
            SecureSettingsConfig config) {
        this(database, config, new SecureRandom(), System.getProperty("karaf.data", "data"));
    }

    private DatabaseSecureSettings(Database database, SecureSettingsConfig config, SecureRandom random,
            String karafData) {
        this(database, new KeyRingLoader(System::getenv, new KeyFiles(random), karafData), new SecureCipher(random),
                Clock.systemUTC(), config);
    }

    DatabaseSecureSettings(Database database, KeyRingLoader loader, SecureCipher cipher, Clock clock,
            SecureSettingsConfig config) {
        this.database = database;
        this.loader = loader;
        this.cipher = cipher;
        this.clock = clock;
        SecureKeyRing ring;
        try {
            ring = loader.load(config);
        } catch (KeyConfigurationException e) {
            LOG.error("Secure settings are unavailable until the key is fixed: {}", e.getMessage());
            throw e;
        }
        this.keys = new AtomicReference<>(ring);
        reportForeignKeys(ring);
    }

    @Modified
    void modified(SecureSettingsConfig config) {
        SecureKeyRing previous = keys.get();
        try {
            SecureKeyRing ring = loader.reload(config);
            keys.set(ring);
            if (!ring.current().equals(previous.current())) {
                LOG.info("Secure settings now encrypt with key {} (was {})", ring.current().id(),
                        previous.current().id());
            }
            reportForeignKeys(ring);
        } catch (KeyConfigurationException e) {
            LOG.error("New secure settings configuration refused, still using key {}: {}", previous.current().id(),
                    e.getMessage());
        }
    }

    @Override
    public Optional<String> get(String namespace, String name, long orgId) {
        SettingRules.check(namespace, name, orgId);
        SecureKeyRing ring = keys.get();
        Optional<StoredRow> row = database.inTransaction(c -> {
            // the organisation's row sorts before the global one (org 0)
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM gk_secure_config"
                    + " WHERE namespace = ? AND name = ? AND org_id IN (?, 0) ORDER BY org_id DESC")) {
                q.setString(1, namespace);
                q.setString(2, name);
                q.setLong(3, orgId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<StoredRow>empty();
                }
            }
        });
        return row.map(r -> open(r, ring));
    }

    @Override
    public void set(String namespace, String name, long orgId, String value, long changedBy) {
        SettingRules.checkWrite(namespace, name, orgId, value);
        RowIdentity identity = new RowIdentity(orgId, namespace, name);
        SealedValue sealed = cipher.seal(keys.get().current(), identity, value);
        Timestamp now = Timestamp.from(clock.instant());
        try {
            database.inTransaction(c -> {
                if (update(c, identity, sealed, now, changedBy) == 0) {
                    insert(c, identity, sealed, now, changedBy);
                }
                return null;
            });
        } catch (DataAccessException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // another writer inserted the same setting first; the later write wins, as it would have as an update
            database.inTransaction(c -> update(c, identity, sealed, now, changedBy));
        }
        LOG.info("Secure setting {} set by user {}", identity, changedBy);
    }

    @Override
    public boolean delete(String namespace, String name, long orgId) {
        SettingRules.check(namespace, name, orgId);
        boolean deleted = database.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement(
                    "DELETE FROM gk_secure_config WHERE org_id = ? AND namespace = ? AND name = ?")) {
                d.setLong(1, orgId);
                d.setString(2, namespace);
                d.setString(3, name);
                return d.executeUpdate() > 0;
            }
        });
        if (deleted) {
            LOG.info("Secure setting {} deleted", new RowIdentity(orgId, namespace, name));
        }
        return deleted;
    }

    @Override
    public Optional<SecureSettingInfo> info(String namespace, String name, long orgId) {
        SettingRules.check(namespace, name, orgId);
        SecureKeyRing ring = keys.get();
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM gk_secure_config"
                    + " WHERE org_id = ? AND namespace = ? AND name = ?")) {
                q.setLong(1, orgId);
                q.setString(2, namespace);
                q.setString(3, name);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<StoredRow>empty();
                }
            }
        }).map(row -> describe(row, ring));
    }

    @Override
    public List<SecureSettingInfo> list(String namespaceOrNull, Long orgIdOrNull) {
        if (namespaceOrNull != null && !SettingRules.validNamespace(namespaceOrNull)) {
            throw new IllegalArgumentException("Invalid secure setting: namespace must be " + SettingRules.NAMESPACE_RULE);
        }
        if (orgIdOrNull != null && orgIdOrNull < 0) {
            throw new IllegalArgumentException("Invalid secure setting: org_id must be " + SettingRules.ORG_RULE);
        }
        SecureKeyRing ring = keys.get();
        List<StoredRow> rows = database.inTransaction(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM gk_secure_config WHERE 1 = 1");
            if (namespaceOrNull != null) {
                sql.append(" AND namespace = ?");
            }
            if (orgIdOrNull != null) {
                sql.append(" AND org_id = ?");
            }
            sql.append(" ORDER BY namespace, name, org_id");
            try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (namespaceOrNull != null) {
                    q.setString(i++, namespaceOrNull);
                }
                if (orgIdOrNull != null) {
                    q.setLong(i, orgIdOrNull);
                }
                List<StoredRow> found = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        found.add(read(rs));
                    }
                }
                return found;
            }
        });
        return rows.stream().map(row -> describe(row, ring)).toList();
    }

    @Override
    public RotationResult rotate() {
        SecureKeyRing ring = keys.get();
        String currentId = ring.current().id();
        List<Long> ids = database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id FROM gk_secure_config WHERE key_id <> ? ORDER BY id")) {
                q.setString(1, currentId);
                List<Long> found = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getLong(1));
                    }
                }
                return found;
            }
        });
        int rotated = 0;
        int unreadable = 0;
        int skipped = 0;
        for (long id : ids) {
            switch (rotateRow(id, ring)) {
                case ROTATED -> rotated++;
                case UNREADABLE -> unreadable++;
                case CONTENDED -> skipped++;
                case NOTHING_TO_DO -> { }
            }
        }
        LOG.info("Secure settings rotation to key {}: {} re-encrypted, {} unreadable, {} skipped (changed during the"
                + " run)", currentId, rotated, unreadable, skipped);
        return new RotationResult(rotated, unreadable, skipped, currentId);
    }

    @Override
    public String currentKeyId() {
        return keys.get().current().id();
    }

    /**
     * Re-seals one row under the current key. Each step is its own short transaction, and the update only applies
     * if the row still holds the ciphertext that was decrypted, so a value written meanwhile (by a user or another
     * instance's rotation) is never replaced by the older one.
     */
    private RowRotation rotateRow(long id, SecureKeyRing ring) {
        SecureKey current = ring.current();
        for (int attempt = 0; attempt < ROTATE_ATTEMPTS; attempt++) {
            Optional<StoredRow> found = database.inTransaction(c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM gk_secure_config WHERE id = ?")) {
                    q.setLong(1, id);
                    try (ResultSet rs = q.executeQuery()) {
                        return rs.next() ? Optional.of(read(rs)) : Optional.<StoredRow>empty();
                    }
                }
            });
            if (found.isEmpty() || found.get().sealed().keyId().equals(current.id())) {
                return RowRotation.NOTHING_TO_DO;
            }
            StoredRow row = found.get();
            String plaintext;
            try {
                plaintext = open(row, ring);
            } catch (SecureValueUnreadableException e) {
                LOG.warn("Rotation left a row as it is: {}", e.getMessage());
                return RowRotation.UNREADABLE;
            }
            SealedValue fresh = cipher.seal(current, row.identity(), plaintext);
            int changed = database.inTransaction(c -> {
                try (PreparedStatement u = c.prepareStatement("UPDATE gk_secure_config SET key_id = ?, nonce = ?,"
                        + " ciphertext = ? WHERE id = ? AND key_id = ? AND nonce = ? AND ciphertext = ?")) {
                    u.setString(1, fresh.keyId());
                    u.setString(2, fresh.nonce());
                    u.setString(3, fresh.ciphertext());
                    u.setLong(4, id);
                    u.setString(5, row.sealed().keyId());
                    u.setString(6, row.sealed().nonce());
                    u.setString(7, row.sealed().ciphertext());
                    return u.executeUpdate();
                }
            });
            if (changed == 1) {
                return RowRotation.ROTATED;
            }
        }
        return RowRotation.CONTENDED;
    }

    private String open(StoredRow row, SecureKeyRing ring) {
        SecureKey key = ring.byId(row.sealed().keyId()).orElseThrow(() -> new SecureValueUnreadableException(
                row.identity().orgId(), row.identity().namespace(), row.identity().name(), row.sealed().keyId(),
                "its key is not in this instance's key ring (configure it as a previous key)"));
        return cipher.open(key, row.identity(), row.sealed());
    }

    private SecureSettingInfo describe(StoredRow row, SecureKeyRing ring) {
        String masked;
        boolean readable;
        try {
            masked = Masking.mask(open(row, ring));
            readable = true;
        } catch (SecureValueUnreadableException e) {
            masked = null;
            readable = false;
        }
        RowIdentity id = row.identity();
        return new SecureSettingInfo(id.orgId(), id.namespace(), id.name(), masked, row.sealed().keyId(),
                row.changedAt(), row.changedBy(), readable);
    }

    /**
     * Says at start (and after a key change) when stored values use keys this instance does not have: the usual cause
     * is instances sharing a database without sharing the key, which otherwise only shows up as unreadable values.
     */
    private void reportForeignKeys(SecureKeyRing ring) {
        try {
            Map<String, Long> byKey = database.inTransaction(c -> {
                Map<String, Long> counts = new LinkedHashMap<>();
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT key_id, COUNT(*) FROM gk_secure_config GROUP BY key_id ORDER BY key_id");
                        ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return counts;
            });
            byKey.forEach((keyId, count) -> {
                if (!ring.knows(keyId)) {
                    LOG.warn("{} secure setting(s) are encrypted with key {}, which this instance does not have, so "
                            + "they cannot be read here. Every instance sharing the database needs the same keys "
                            + "(GOATFLOW_SECURE_KEY or a copy of the key file).", count, keyId);
                } else if (!keyId.equals(ring.current().id())) {
                    LOG.info("{} secure setting(s) still use previous key {}; gk:secure-rotate re-encrypts them",
                            count, keyId);
                }
            });
        } catch (DataAccessException e) {
            LOG.warn("Could not check which keys the stored secure settings use: {}", e.getMessage());
        }
    }

    private static int update(Connection c, RowIdentity identity, SealedValue sealed, Timestamp now, long changedBy)
            throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE gk_secure_config SET key_id = ?, nonce = ?,"
                + " ciphertext = ?, change_time = ?, change_by = ? WHERE org_id = ? AND namespace = ? AND name = ?")) {
            u.setString(1, sealed.keyId());
            u.setString(2, sealed.nonce());
            u.setString(3, sealed.ciphertext());
            u.setTimestamp(4, now);
            u.setLong(5, changedBy);
            u.setLong(6, identity.orgId());
            u.setString(7, identity.namespace());
            u.setString(8, identity.name());
            return u.executeUpdate();
        }
    }

    private static void insert(Connection c, RowIdentity identity, SealedValue sealed, Timestamp now, long changedBy)
            throws SQLException {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO gk_secure_config (org_id, namespace, name, key_id,"
                + " nonce, ciphertext, create_time, create_by, change_time, change_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            i.setLong(1, identity.orgId());
            i.setString(2, identity.namespace());
            i.setString(3, identity.name());
            i.setString(4, sealed.keyId());
            i.setString(5, sealed.nonce());
            i.setString(6, sealed.ciphertext());
            i.setTimestamp(7, now);
            i.setLong(8, changedBy);
            i.setTimestamp(9, now);
            i.setLong(10, changedBy);
            i.executeUpdate();
        }
    }

    private static StoredRow read(ResultSet rs) throws SQLException {
        Timestamp changed = rs.getTimestamp("change_time");
        return new StoredRow(rs.getLong("id"),
                new RowIdentity(rs.getLong("org_id"), rs.getString("namespace"), rs.getString("name")),
                new SealedValue(rs.getString("key_id"), rs.getString("nonce"), rs.getString("ciphertext")),
                changed == null ? null : changed.toInstant(), rs.getLong("change_by"));
    }
}
