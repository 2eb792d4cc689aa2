package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.persistence.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Secure settings in the running product: the key file made on first start is owner-only; values are shown masked;
 * a new key is applied by configuration alone (no restart) and rotation re-encrypts every value while the old key
 * still reads the rest; a wrong key and a tampered or swapped ciphertext make a value unreadable, never garbage.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecureSettingsIT extends GoatFlowTestSupport {
    private static final String PID = "io.goatflow.securesettings";

    @Inject
    private Database database;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private static Path newKey(String name) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path file = Path.of(System.getProperty("karaf.data"), "secure", name);
        Files.writeString(file, Base64.getEncoder().encodeToString(key));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private void useKeys(Path current, Path... previous) throws Exception {
        Configuration config = configurationAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("keyFile", current.toString());
        String[] old = new String[previous.length];
        for (int i = 0; i < previous.length; i++) {
            old[i] = previous[i].toString();
        }
        props.put("previousKeyFiles", old);
        config.update(props);
    }

    private Map<String, JsonNode> list(HelpDeskFixture fx, String admin) throws Exception {
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : fx.call("GET", "/api/v1/secure-config?namespace=it&per_page=100", admin, null, 200)
                .path("data")) {
            rows.put(row.path("org_id").asLong() + "/" + row.path("name").asText(), row);
        }
        return rows;
    }

    /** Waits until the configuration change reached the running component (it reports the current key). */
    private String awaitKey(HelpDeskFixture fx, String admin, String notKeyId) throws Exception {
        for (int i = 0; i < 100; i++) {
            String id = fx.call("POST", "/api/v1/secure-config/rotate", admin, "{}", 200).path("data")
                    .path("current_key_id").asText();
            if (!id.equals(notKeyId)) {
                return id;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the new key was not applied");
    }

    @Test
    public void keysRotateWithoutRestartAndDamageIsDetected() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        Path first = Path.of(System.getProperty("karaf.data"), "secure", "secure.key");
        assertTrue("key file made on first start", Files.exists(first));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())));

        JsonNode put = fx.call("PUT", "/api/v1/secure-config/it/api.token?org_id=0", admin,
                Map.of("value", "tok-ABCDEFGH-1234"), 200).path("data");
        assertTrue(put.toString(), put.path("masked_value").asText().endsWith("1234"));
        assertFalse(put.toString(), put.toString().contains("ABCDEFGH"));
        fx.call("PUT", "/api/v1/secure-config/it/api.token?org_id=7", admin, Map.of("value", "org-seven-5678"), 200);
        fx.call("PUT", "/api/v1/secure-config/it/other?org_id=0", admin, Map.of("value", "other-value-9999"), 200);
        assertError(put("/api/v1/secure-config/it/bad%20name?org_id=0", admin, "{\"value\":\"x\"}"), 400,
                "VALIDATION_FAILED");
        assertError(put("/api/v1/secure-config/it/api.token?org_id=0", admin, "{\"value\":"), 400, "INVALID_JSON");
        String oldId = list(fx, admin).get("0/api.token").path("key_id").asText();
        String listed = get("/api/v1/secure-config?namespace=it", admin).body();
        assertFalse(listed, listed.contains("tok-ABCDEFGH") || listed.contains("org-seven") || listed.contains("other-value"));

        // rotation: the new key becomes current by configuration, the old one still reads what is not rotated yet
        Path second = newKey("second.key");
        useKeys(second, first);
        String newId = awaitKey(fx, admin, oldId);
        assertNotEquals(oldId, newId);
        // (rows other test classes left under their own keys count as unreadable on a shared PostgreSQL database)
        fx.call("POST", "/api/v1/secure-config/rotate", admin, "{}", 200);
        for (JsonNode row : list(fx, admin).values()) {
            assertEquals(row.toString(), newId, row.path("key_id").asText());
            assertTrue(row.toString(), row.path("readable").asBoolean());
        }
        // the old key can go once everything is rotated (the current key stays, so there is nothing to wait for)
        useKeys(second);
        assertTrue(list(fx, admin).get("0/api.token").path("readable").asBoolean());

        // a wrong key: the values are unreadable (reported, kept), and readable again with the right key
        Path wrong = newKey("wrong.key");
        useKeys(wrong);
        String wrongId = awaitKey(fx, admin, newId);
        JsonNode unreadable = list(fx, admin).get("0/api.token");
        assertFalse(unreadable.toString(), unreadable.path("readable").asBoolean());
        assertTrue(unreadable.toString(), unreadable.path("masked_value").isNull());
        useKeys(second);
        assertEquals(newId, awaitKey(fx, admin, wrongId));
        assertTrue(list(fx, admin).get("0/api.token").path("readable").asBoolean());

        // tampering: one flipped byte, or another row's ciphertext, fails the GCM check of that row only
        database.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT ciphertext, nonce FROM gk_secure_config WHERE namespace = 'it'"
                    + " AND name = 'api.token' AND org_id = 7");
                    var rs = q.executeQuery()) {
                rs.next();
                String ciphertext = rs.getString(1);
                String nonce = rs.getString(2);
                try (var swap = c.prepareStatement("UPDATE gk_secure_config SET ciphertext = ?, nonce = ? WHERE"
                        + " namespace = 'it' AND name = 'other' AND org_id = 0")) {
                    swap.setString(1, ciphertext);
                    swap.setString(2, nonce);
                    swap.executeUpdate();
                }
                byte[] bytes = Base64.getDecoder().decode(ciphertext);
                bytes[0] ^= 1;
                try (var flip = c.prepareStatement("UPDATE gk_secure_config SET ciphertext = ? WHERE namespace = 'it'"
                        + " AND name = 'api.token' AND org_id = 0")) {
                    flip.setString(1, Base64.getEncoder().encodeToString(bytes));
                    flip.executeUpdate();
                }
            }
            return null;
        });
        Map<String, JsonNode> rows = list(fx, admin);
        assertFalse(rows.toString(), rows.get("0/api.token").path("readable").asBoolean());
        assertFalse(rows.toString(), rows.get("0/other").path("readable").asBoolean());
        assertTrue(rows.toString(), rows.get("7/api.token").path("readable").asBoolean());
        // an admin can replace a damaged value; it is readable again
        fx.call("PUT", "/api/v1/secure-config/it/other?org_id=0", admin, Map.of("value", "replaced-value-4321"), 200);
        assertTrue(list(fx, admin).get("0/other").path("readable").asBoolean());
        for (String row : List.of("api.token?org_id=0", "api.token?org_id=7", "other?org_id=0")) {
            fx.call("DELETE", "/api/v1/secure-config/it/" + row, admin, null, 200);
        }
        String log = Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
        assertFalse("values never logged", log.contains("tok-ABCDEFGH") || log.contains("org-seven-5678"));
    }
}
