package io.goatflow.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    private final LoginLimiter limiter =
            new LoginLimiter(ConfigDefaults.of(AuthConfig.class, Map.of()), null, null);

    @Test
    void fiveFailuresAreFreeThenTheWaitDoublesUpToAMinute() {
        for (int failures = 1; failures < 5; failures++) {
            assertEquals(0, limiter.delayAfter(failures), "failure " + failures);
        }
        assertEquals(2, limiter.delayAfter(5));
        assertEquals(4, limiter.delayAfter(6));
        assertEquals(8, limiter.delayAfter(7));
        assertEquals(32, limiter.delayAfter(9));
        assertEquals(60, limiter.delayAfter(10));
        assertEquals(60, limiter.delayAfter(1000));
    }

    @Test
    void keyIgnoresCaseAndSpacesOfTheLoginButNotTheAddress() {
        assertEquals(LoginLimiter.key("10.0.0.1", "Admin "), LoginLimiter.key("10.0.0.1", "admin"));
        assertNotEquals(LoginLimiter.key("10.0.0.1", "admin"), LoginLimiter.key("10.0.0.2", "admin"));
        assertEquals(64, LoginLimiter.key(null, "x").length());
    }
}
