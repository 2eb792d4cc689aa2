package io.goatflow.securesettings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Envelope;
import io.goatflow.securesettings.SecureSettings;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.security.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureSettingsResourceTest {
    private static final String SECRET = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    private static final SecurityContext ADMIN = context(new Caller(1, "admin", Caller.Kind.AGENT, true, 11));
    private static final SecurityContext AGENT = context(new Caller(2, "agent", Caller.Kind.AGENT, false, 12));

    @TempDir
    Path data;

    private SecureSettingsResource resource;
    private SecureSettings settings;

    @BeforeEach
    void wire() throws Exception {
        Map<String, String> env = Map.of(KeyRingLoader.KEY_ENV, TestSupport.hex(TestSupport.randomKeyBytes()));
        settings = new DatabaseSecureSettings(TestSupport.migratedDatabase(),
                new KeyRingLoader(env::get, new KeyFiles(new SecureRandom()), data.toString()),
                new SecureCipher(new SecureRandom()), Clock.systemUTC(), TestSupport.config(Map.of()));
        resource = new SecureSettingsResource();
        inject(settings);
    }

    private void inject(SecureSettings service) throws Exception {
        Field field = SecureSettingsResource.class.getDeclaredField("settings");
        field.setAccessible(true);
        field.set(resource, service);
    }

    @Test
    void putAnswersTheMaskedEntryAndListShowsIt() {
        Envelope put = resource.set(ADMIN, "github", "token", "4", new SecureSettingsResource.ValueChange(SECRET));
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) put.data();
        assertEquals("••••8B4a", entry.get("masked_value"));
        assertEquals(4L, entry.get("org_id"));
        assertEquals(1L, entry.get("changed_by"));
        assertEquals(settings.currentKeyId(), entry.get("key_id"));
        assertEquals(SECRET, settings.get("github", "token", 4).orElseThrow());

        Envelope list = resource.list(ADMIN, "github", null, null, null);
        assertEquals(1, ((List<?>) list.data()).size());
        assertEquals(1L, list.pagination().total());
        assertFalse(list.toString().contains(SECRET));
        assertFalse(put.toString().contains(SECRET));
    }

    @Test
    void nonAdminsGetNotFound() {
        for (Runnable call : List.<Runnable>of(
                () -> resource.list(AGENT, null, null, null, null),
                () -> resource.set(AGENT, "github", "token", null, new SecureSettingsResource.ValueChange("x")),
                () -> resource.delete(AGENT, "github", "token", null),
                () -> resource.rotate(AGENT))) {
            ApiException e = assertThrows(ApiException.class, call::run);
            assertEquals(404, e.status());
        }
        assertEquals(401, assertThrows(ApiException.class, () -> resource.rotate(context(null))).status());
    }

    @Test
    void badInputIsAValidationFailureByField() {
        ApiException e = assertThrows(ApiException.class, () -> resource.set(ADMIN, "Bad NS", "bad name!", "-3",
                new SecureSettingsResource.ValueChange("x".repeat(SecureSettings.VALUE_MAX_BYTES + 1))));
        assertEquals(400, e.status());
        assertEquals("VALIDATION_FAILED", e.code());
        assertEquals(java.util.Set.of("namespace", "name", "org_id", "value"), e.fields().keySet());
        assertFalse(e.getMessage().contains("xxxx"));

        e = assertThrows(ApiException.class, () -> resource.set(ADMIN, "github", "token", null, null));
        assertEquals(Map.of("value", "is required (a string)"), e.fields());
        e = assertThrows(ApiException.class, () -> resource.list(ADMIN, null, "abc", null, null));
        assertTrue(e.fields().containsKey("org_id"));
    }

    @Test
    void deleteOfAnAbsentSettingIsNotFound() {
        assertEquals(404, assertThrows(ApiException.class,
                () -> resource.delete(ADMIN, "github", "token", null)).status());
        resource.set(ADMIN, "github", "token", null, new SecureSettingsResource.ValueChange("value-1234"));
        assertEquals(404, assertThrows(ApiException.class,
                () -> resource.delete(ADMIN, "github", "token", "7")).status(), "org 7 has no own value");
        Envelope deleted = resource.delete(ADMIN, "github", "token", "0");
        assertEquals(true, ((Map<?, ?>) deleted.data()).get("deleted"));
        assertEquals(404, assertThrows(ApiException.class,
                () -> resource.delete(ADMIN, "NOT valid", "token", null)).status());
    }

    @Test
    void rotateReportsCountsAndTheCurrentKey() {
        Envelope rotated = resource.rotate(ADMIN);
        assertEquals(Map.of("rotated", 0, "unreadable", 0, "skipped", 0, "current_key_id", settings.currentKeyId()),
                rotated.data());
    }

    @Test
    void withoutTheServiceAdminsGetUnavailable() throws Exception {
        inject(null);
        ApiException e = assertThrows(ApiException.class, () -> resource.rotate(ADMIN));
        assertEquals(503, e.status());
        assertEquals("SECURE_SETTINGS_UNAVAILABLE", e.code());
        assertEquals(404, assertThrows(ApiException.class, () -> resource.rotate(AGENT)).status(),
                "non-admins learn nothing, not even that the area is down");
    }

    private static SecurityContext context(Caller caller) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public String getAuthenticationScheme() {
                return caller == null ? null : "Bearer";
            }
        };
    }
}
