package io.goatflow.pluginhost.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashLoopGuardTest {
    private final CrashLoopGuard guard = new CrashLoopGuard(5, Duration.ofMinutes(10), Duration.ofSeconds(5),
            Duration.ofMinutes(5));

    @Test
    void backoffDoublesFromFiveSecondsToTheFiveMinuteCapAndAGoodPingResetsIt() {
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        assertEquals(Duration.ofSeconds(5), guard.backoff());
        long[] expected = {10, 20, 40, 80, 160, 300, 300};
        for (long seconds : expected) {
            guard.tryRestart(t);
            guard.reset(); // keep the window empty; only the step matters here
            t = t.plusSeconds(1);
        }
        CrashLoopGuard g = new CrashLoopGuard(100, Duration.ofMinutes(10), Duration.ofSeconds(5),
                Duration.ofMinutes(5));
        for (long seconds : expected) {
            assertTrue(g.tryRestart(t));
            assertEquals(Duration.ofSeconds(seconds), g.backoff());
        }
        g.healthy();
        assertEquals(Duration.ofSeconds(5), g.backoff());
    }

    @Test
    void moreThanFiveRestartsInTenMinutesIsACrashLoopUntilReset() {
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            assertTrue(guard.tryRestart(t.plusSeconds(60L * i)));
        }
        assertFalse(guard.tryRestart(t.plusSeconds(299)));
        assertTrue(guard.abandoned());
        assertFalse(guard.tryRestart(t.plusSeconds(3600)), "abandoned stays abandoned");
        guard.reset();
        assertFalse(guard.abandoned());
        assertTrue(guard.tryRestart(t.plusSeconds(3601)));
    }

    @Test
    void restartsOutsideTheWindowAreForgotten() {
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 12; i++) {
            assertTrue(guard.tryRestart(t.plusSeconds(150L * i)), "restart " + i);
        }
        assertEquals(5, guard.recentRestarts(t.plusSeconds(150L * 11)));
    }
}
