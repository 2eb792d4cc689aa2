package io.goatflow.securesettings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.persistence.SqlWork;
import io.goatflow.securesettings.RotationResult;
import io.goatflow.securesettings.SecureSettingInfo;
import io.goatflow.securesettings.SecureSettings;
import io.goatflow.securesettings.SecureValueUnreadableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSecureSettingsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    private static final String SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    @TempDir
    Path data;

    private Database database;
    private final byte[] oldKey = TestSupport.randomKeyBytes();
    private final byte[] newKey = TestSupport.randomKeyBytes();

    @BeforeEach
    void migrate() {
        database = TestSupport.migratedDatabase();
    }

    /** An instance whose current key is {@code current} and which also reads with {@code previous}. */
    private DatabaseSecureSettings instance(Database db, byte[] current, byte[]... previous) {
        Map<String, String> env = new HashMap<>();
        env.put(KeyRingLoader.KEY_ENV, Base64.getEncoder().encodeToString(current));
        List<String> old = new ArrayList<>();
        for (byte[] key : previous) {
            old.add(TestSupport.hex(key));
        }
        env.put(KeyRingLoader.PREVIOUS_ENV, String.join(",", old));
        return new DatabaseSecureSettings(db, new KeyRingLoader(env::get, new KeyFiles(new SecureRandom()),
                data.toString()), new SecureCipher(new SecureRandom()), Clock.fixed(NOW, ZoneOffset.UTC),
                TestSupport.config(Map.of()));
    }

    private DatabaseSecureSettings instance(byte[] current, byte[]... previous) {
        return instance(database, current, previous);
    }

    @Test
    void setThenGetWithTheGlobalValueAsFallback() {
        SecureSettings settings = instance(oldKey);
        settings.set("stripe", "api_key", 0, "global-secret-0000", 1);
        settings.set("stripe", "api_key", 5, "org5-secret-5555", 2);

        assertEquals(Optional.of("org5-secret-5555"), settings.get("stripe", "api_key", 5));
        assertEquals(Optional.of("global-secret-0000"), settings.get("stripe", "api_key", 6), "falls back to org 0");
        assertEquals(Optional.of("global-secret-0000"), settings.get("stripe", "api_key", 0));
        assertEquals(Optional.empty(), settings.get("stripe", "other", 5));
        assertEquals(Optional.empty(), settings.get("github", "api_key", 5));
    }

    @Test
    void setReplacesTheValueOfTheSameIdentity() {
        SecureSettings settings = instance(oldKey);
        settings.set("core", "smtp_password", 0, "first", 1);
        settings.set("core", "smtp_password", 0, "second-value", 7);
        assertEquals(Optional.of("second-value"), settings.get("core", "smtp_password", 0));
        SecureSettingInfo info = settings.info("core", "smtp_password", 0).orElseThrow();
        assertEquals(7, info.changedBy());
        assertEquals(NOW, info.changedAt());
        assertEquals(1, settings.list(null, null).size());
    }

    @Test
    void concurrentFirstWritesOfOneSettingAllSucceed() throws Exception {
        SecureSettings settings = instance(oldKey);
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String value = "value-" + i;
                done.add(pool.submit(() -> {
                    start.await();
                    settings.set("core", "raced", 0, value, 1);
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(); // a lost insert race falls back to an update instead of failing
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, settings.list("core", null).size());
        assertTrue(settings.get("core", "raced", 0).orElseThrow().startsWith("value-"));
    }

    @Test
    void deleteRemovesOnlyThatOrganisationsRow() {
        SecureSettings settings = instance(oldKey);
        settings.set("stripe", "api_key", 0, "global", 1);
        settings.set("stripe", "api_key", 5, "org5", 1);
        assertTrue(settings.delete("stripe", "api_key", 5));
        assertFalse(settings.delete("stripe", "api_key", 5), "already gone");
        assertEquals(Optional.of("global"), settings.get("stripe", "api_key", 5));
        assertFalse(settings.delete("stripe", "api_key", 9), "an organisation never deletes the global value");
        assertEquals(Optional.of("global"), settings.get("stripe", "api_key", 0));
    }

    @Test
    void listAndInfoShowMasksNeverValues() {
        SecureSettings settings = instance(oldKey);
        settings.set("stripe", "api_key", 0, SECRET, 1);
        settings.set("stripe", "pin", 3, "1234", 1);
        settings.set("core", "smtp_password", 0, "hunter2-abcd", 1);

        List<SecureSettingInfo> all = settings.list(null, null);
        assertEquals(List.of("core/smtp_password", "stripe/api_key", "stripe/pin"),
                all.stream().map(i -> i.namespace() + "/" + i.name()).toList());
        SecureSettingInfo apiKey = all.get(1);
        assertEquals("••••p7dc", apiKey.maskedValue());
        assertEquals(settings.currentKeyId(), apiKey.keyId());
        assertTrue(apiKey.readable());
        assertEquals("••••", all.get(2).maskedValue());
        assertEquals(3, all.get(2).orgId());
        for (SecureSettingInfo info : all) {
            assertFalse(info.toString().contains(SECRET));
            assertFalse(info.toString().contains("hunter2"));
        }

        assertEquals(2, settings.list("stripe", null).size());
        assertEquals(1, settings.list("stripe", 3L).size());
        assertEquals(2, settings.list(null, 0L).size());
        assertEquals(Optional.empty(), settings.info("stripe", "api_key", 3), "info has no fallback");
    }

    @Test
    void nothingReadableIsStored() {
        SecureSettings settings = instance(oldKey);
        settings.set("stripe", "api_key", 0, SECRET, 1);
        Map<String, Object> row = rawRow("stripe", "api_key", 0);
        for (Object column : row.values()) {
            String text = String.valueOf(column);
            assertFalse(text.contains(SECRET), "plaintext stored in a column");
            assertFalse(text.contains("p7dc"), "last characters stored in a column");
        }
        assertEquals(SecureCipher.NONCE_BYTES, Base64.getDecoder().decode((String) row.get("nonce")).length);
    }

    @Test
    void ciphertextCopiedToAnotherRowIsUnreadable() {
        SecureSettings settings = instance(oldKey);
        settings.set("stripe", "api_key", 1, "org-one-secret", 1);
        settings.set("stripe", "api_key", 2, "org-two-secret", 1);
        settings.set("stripe", "api_key", 0, "global-secret", 1);
        Map<String, Object> one = rawRow("stripe", "api_key", 1);
        database.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE gk_secure_config SET nonce = ?, ciphertext = ?"
                    + " WHERE org_id = 2")) {
                u.setString(1, (String) one.get("nonce"));
                u.setString(2, (String) one.get("ciphertext"));
                return u.executeUpdate();
            }
        });

        SecureValueUnreadableException e = assertThrows(SecureValueUnreadableException.class,
                () -> settings.get("stripe", "api_key", 2));
        assertEquals(2, e.orgId());
        assertFalse(e.getMessage().contains("org-one-secret"));
        assertEquals(Optional.of("org-one-secret"), settings.get("stripe", "api_key", 1));

        SecureSettingInfo two = settings.info("stripe", "api_key", 2).orElseThrow();
        assertFalse(two.readable());
        assertNull(two.maskedValue());
        assertEquals(List.of(true, true, false), settings.list("stripe", null).stream()
                .map(SecureSettingInfo::readable).toList());
    }

    @Test
    void identitiesAndValuesAreChecked() {
        SecureSettings settings = instance(oldKey);
        String big = "x".repeat(SecureSettings.VALUE_MAX_BYTES + 1);
        String bigUtf8 = "é".repeat(SecureSettings.VALUE_MAX_BYTES / 2 + 1); // few chars, too many bytes
        assertRefused(() -> settings.set("Stripe", "api_key", 0, "v", 1), "namespace");
        assertRefused(() -> settings.set("", "api_key", 0, "v", 1), "namespace");
        assertRefused(() -> settings.set("n".repeat(101), "api_key", 0, "v", 1), "namespace");
        assertRefused(() -> settings.set("stripe", "api key", 0, "v", 1), "name");
        assertRefused(() -> settings.set("stripe", "k".repeat(201), 0, "v", 1), "name");
        assertRefused(() -> settings.set("stripe", "api_key", -1, "v", 1), "org_id");
        assertRefused(() -> settings.set("stripe", "api_key", 0, null, 1), "value");
        assertRefused(() -> settings.set("stripe", "api_key", 0, big, 1), "value");
        IllegalArgumentException e = assertRefused(() -> settings.set("stripe", "api_key", 0, bigUtf8, 1), "value");
        assertFalse(e.getMessage().contains("éé"), "messages never repeat the value");
        assertRefused(() -> settings.get("stripe", "../x", 0), "name");
        assertRefused(() -> settings.list("UPPER", null), "namespace");

        settings.set("my-plugin_2", "Api.Key:v2-x_y", 0, "x".repeat(SecureSettings.VALUE_MAX_BYTES), 1);
        settings.set("n".repeat(100), "k".repeat(200), 0, "", 1);
        assertEquals(Optional.of(""), settings.get("n".repeat(100), "k".repeat(200), 0));
    }

    private static IllegalArgumentException assertRefused(org.junit.jupiter.api.function.Executable call,
            String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(field), e.getMessage());
        return e;
    }

    @Test
    void rotationMovesEveryRowToTheNewKeyWithoutDowntime() {
        DatabaseSecureSettings before = instance(oldKey);
        before.set("stripe", "api_key", 0, "global-secret", 1);
        before.set("stripe", "api_key", 4, "org4-secret", 1);
        before.set("core", "smtp_password", 0, "smtp-secret", 1);
        String oldId = before.currentKeyId();

        // step 1: new key current, old key previous; reads still work before any row is rotated
        DatabaseSecureSettings during = instance(newKey, oldKey);
        assertEquals(Optional.of("org4-secret"), during.get("stripe", "api_key", 4));
        during.set("core", "new_token", 0, "written-under-new-key", 1);
        assertEquals(List.of(oldId, oldId, oldId, during.currentKeyId()).stream().sorted().toList(),
                during.list(null, null).stream().map(SecureSettingInfo::keyId).sorted().toList());

        // step 2: rotate
        RotationResult result = during.rotate();
        assertEquals(new RotationResult(3, 0, 0, during.currentKeyId()), result);
        assertTrue(during.list(null, null).stream().allMatch(i -> i.keyId().equals(during.currentKeyId())));
        assertEquals(new RotationResult(0, 0, 0, during.currentKeyId()), during.rotate(), "nothing left to do");

        // step 3: drop the old key
        DatabaseSecureSettings after = instance(newKey);
        assertEquals(Optional.of("global-secret"), after.get("stripe", "api_key", 0));
        assertEquals(Optional.of("org4-secret"), after.get("stripe", "api_key", 4));
        assertEquals(Optional.of("smtp-secret"), after.get("core", "smtp_password", 0));
        assertEquals(Optional.of("written-under-new-key"), after.get("core", "new_token", 0));
        assertEquals(NOW, after.info("core", "smtp_password", 0).orElseThrow().changedAt());
    }

    @Test
    void rowsNoKeyCanReadAreCountedAndLeftAlone() {
        byte[] lostKey = TestSupport.randomKeyBytes();
        instance(lostKey).set("legacy", "token", 0, "sealed-with-a-lost-key", 1);
        DatabaseSecureSettings old = instance(oldKey);
        old.set("stripe", "api_key", 0, "fine", 1);
        old.set("stripe", "api_key", 1, "tampered", 1);
        database.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE gk_secure_config SET nonce = ? WHERE org_id = 1")) {
                u.setString(1, Base64.getEncoder().encodeToString(new byte[12]));
                return u.executeUpdate();
            }
        });
        Map<String, Object> lostBefore = rawRow("legacy", "token", 0);
        Map<String, Object> tamperedBefore = rawRow("stripe", "api_key", 1);

        DatabaseSecureSettings rotating = instance(newKey, oldKey);
        assertThrows(SecureValueUnreadableException.class, () -> rotating.get("legacy", "token", 0));
        RotationResult result = rotating.rotate();

        assertEquals(1, result.rotated());
        assertEquals(2, result.unreadable());
        assertEquals(0, result.skipped());
        assertEquals(lostBefore, rawRow("legacy", "token", 0), "unreadable rows are not touched");
        assertEquals(tamperedBefore, rawRow("stripe", "api_key", 1), "unreadable rows are not touched");
        assertEquals(Optional.of("fine"), rotating.get("stripe", "api_key", 0));
        // the key comes back: the row is readable again
        assertEquals(Optional.of("sealed-with-a-lost-key"), instance(newKey, lostKey).get("legacy", "token", 0));
    }

    @Test
    void rotationNeverOverwritesAConcurrentWrite() {
        DatabaseSecureSettings oldInstance = instance(oldKey);
        oldInstance.set("core", "smtp_password", 0, "original", 1);
        HookedDatabase hooked = new HookedDatabase(database);
        DatabaseSecureSettings rotating = instance(hooked, newKey, oldKey);
        // rotate's transactions: 1 lists the ids, 2 reads the row, 3 is the compare-and-set. Just before 3, an
        // instance that still encrypts with the old key writes a new value.
        hooked.beforeTransaction(3, () -> oldInstance.set("core", "smtp_password", 0, "changed-meanwhile", 9));

        RotationResult result = rotating.rotate();

        assertEquals(new RotationResult(1, 0, 0, rotating.currentKeyId()), result, "retried with the new value");
        assertEquals(Optional.of("changed-meanwhile"), instance(newKey).get("core", "smtp_password", 0));
        assertEquals(9, rotating.info("core", "smtp_password", 0).orElseThrow().changedBy());
    }

    @Test
    void aConcurrentWriteUnderTheNewKeyNeedsNoRotation() {
        instance(oldKey).set("core", "smtp_password", 0, "original", 1);
        HookedDatabase hooked = new HookedDatabase(database);
        DatabaseSecureSettings rotating = instance(hooked, newKey, oldKey);
        DatabaseSecureSettings updatedPeer = instance(newKey, oldKey);
        hooked.beforeTransaction(3, () -> updatedPeer.set("core", "smtp_password", 0, "fresh", 2));

        assertEquals(new RotationResult(0, 0, 0, rotating.currentKeyId()), rotating.rotate());
        assertEquals(Optional.of("fresh"), instance(newKey).get("core", "smtp_password", 0));
    }

    @Test
    void configurationChangesLoadNewKeysWithoutRestart() throws Exception {
        Path first = data.resolve("first.key");
        Path second = data.resolve("second.key");
        Files.writeString(first, TestSupport.hex(oldKey));
        Files.writeString(second, Base64.getEncoder().encodeToString(newKey));
        DatabaseSecureSettings settings = new DatabaseSecureSettings(database,
                new KeyRingLoader(name -> null, new KeyFiles(new SecureRandom()), data.toString()),
                new SecureCipher(new SecureRandom()), Clock.fixed(NOW, ZoneOffset.UTC),
                TestSupport.config(Map.of("keyFile", first.toString())));
        settings.set("core", "token", 0, "under-first", 1);
        assertEquals(SecureKey.of(oldKey).id(), settings.currentKeyId());

        settings.modified(TestSupport.config(Map.of("keyFile", second.toString(),
                "previousKeyFiles", new String[] {first.toString()})));
        assertEquals(SecureKey.of(newKey).id(), settings.currentKeyId());
        assertEquals(Optional.of("under-first"), settings.get("core", "token", 0));

        // a live change never generates a key: a mistyped path must not become a fresh current key
        Path typo = data.resolve("secnod.key");
        settings.modified(TestSupport.config(Map.of("keyFile", typo.toString())));
        assertFalse(Files.exists(typo));
        assertEquals(SecureKey.of(newKey).id(), settings.currentKeyId());

        // a broken change is refused and the working keys stay
        settings.modified(TestSupport.config(Map.of("keyFile", second.toString(),
                "previousKeyFiles", new String[] {data.resolve("missing.key").toString()})));
        assertEquals(SecureKey.of(newKey).id(), settings.currentKeyId());
        assertEquals(Optional.of("under-first"), settings.get("core", "token", 0));
    }

    @Test
    void aMissingKeyStopsActivation() {
        Map<String, String> env = Map.of(KeyRingLoader.KEY_ENV, "too-short");
        assertThrows(KeyConfigurationException.class, () -> new DatabaseSecureSettings(database,
                new KeyRingLoader(env::get, new KeyFiles(new SecureRandom()), data.toString()),
                new SecureCipher(new SecureRandom()), Clock.systemUTC(), TestSupport.config(Map.of())));
    }

    private Map<String, Object> rawRow(String namespace, String name, long orgId) {
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT key_id, nonce, ciphertext, change_time, change_by"
                    + " FROM gk_secure_config WHERE namespace = ? AND name = ? AND org_id = ?")) {
                q.setString(1, namespace);
                q.setString(2, name);
                q.setLong(3, orgId);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next());
                    Map<String, Object> row = new HashMap<>();
                    for (String column : List.of("key_id", "nonce", "ciphertext", "change_time", "change_by")) {
                        row.put(column, rs.getObject(column));
                    }
                    return row;
                }
            }
        });
    }

    /** Runs an action just before the n-th transaction from now: a deterministic "meanwhile, on another instance". */
    private static final class HookedDatabase implements Database {
        private final Database delegate;
        private final AtomicInteger countdown = new AtomicInteger(-1);
        private volatile Runnable action;

        HookedDatabase(Database delegate) {
            this.delegate = delegate;
        }

        void beforeTransaction(int n, Runnable action) {
            this.action = action;
            countdown.set(n);
        }

        @Override
        public DatabaseKind kind() {
            return delegate.kind();
        }

        @Override
        public DataSource dataSource() {
            return delegate.dataSource();
        }

        @Override
        public <T> T inTransaction(SqlWork<T> work) {
            if (countdown.get() > 0 && countdown.decrementAndGet() == 0) {
                action.run();
            }
            return delegate.inTransaction(work);
        }

        @Override
        public DatabaseStatus ping(Duration timeout) {
            return delegate.ping(timeout);
        }
    }
}
