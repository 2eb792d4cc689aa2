package io.goatflow.auth.internal;

import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Failed-login throttle per client IP + login, kept in {@code gk_login_failure} so every instance counts the
 * same failures: {@code login_max_failures} within {@code login_window_seconds} are free, then each further
 * attempt must wait a delay that doubles from {@code login_delay_initial_seconds} up to
 * {@code login_delay_max_seconds}. Unknown logins are counted like known ones, so the throttle reveals nothing.
 */
@Component(service = LoginLimiter.class, configurationPid = "io.goatflow.auth")
public final class LoginLimiter {
    private final Database database;
    private final int maxFailures;
    private final long windowSeconds;
    private final long initialDelay;
    private final long maxDelay;

    @Activate
    public LoginLimiter(AuthConfig config, @Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
        this.maxFailures = Math.max(1, config.login_max_failures());
        this.windowSeconds = Math.max(1, config.login_window_seconds());
        this.initialDelay = Math.max(1, config.login_delay_initial_seconds());
        this.maxDelay = Math.max(initialDelay, config.login_delay_max_seconds());
    }

    /** Seconds the caller must still wait before trying this login again, or empty when it may try now. */
    OptionalLong waitSeconds(String clientIp, String login) {
        String key = key(clientIp, login);
        Instant now = Instant.now();
        return database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT blocked_until FROM gk_login_failure WHERE key_hash = ?")) {
                q.setString(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getTimestamp(1) != null && rs.getTimestamp(1).toInstant().isAfter(now)) {
                        long millis = rs.getTimestamp(1).toInstant().toEpochMilli() - now.toEpochMilli();
                        return OptionalLong.of(Math.max(1, (millis + 999) / 1000));
                    }
                    return OptionalLong.empty();
                }
            }
        });
    }

    /** Counts a failure; returns the seconds the next attempt must wait (0 while failures are still free). */
    long recordFailure(String clientIp, String login) {
        String key = key(clientIp, login);
        for (int attempt = 0; ; attempt++) {
            try {
                return database.inTransaction(c -> {
                    Instant now = Instant.now();
                    int failures = 0;
                    boolean exists = false;
                    Instant windowStart = now;
                    try (PreparedStatement q = c.prepareStatement("SELECT failures, window_start, blocked_until"
                            + " FROM gk_login_failure WHERE key_hash = ? FOR UPDATE")) {
                        q.setString(1, key);
                        try (ResultSet rs = q.executeQuery()) {
                            if (rs.next()) {
                                exists = true;
                                Instant started = rs.getTimestamp(2).toInstant();
                                Timestamp blocked = rs.getTimestamp(3);
                                Instant lastActivity = blocked == null ? started : later(started, blocked.toInstant());
                                boolean expired = lastActivity.plusSeconds(windowSeconds).isBefore(now);
                                failures = expired ? 0 : rs.getInt(1);
                                windowStart = expired ? now : started;
                            }
                        }
                    }
                    failures++;
                    long delay = delayAfter(failures);
                    Timestamp blockedUntil = delay == 0 ? null : Timestamp.from(now.plusSeconds(delay));
                    String sql = exists
                            ? "UPDATE gk_login_failure SET failures = ?, blocked_until = ?, window_start = ?"
                                    + " WHERE key_hash = ?"
                            : "INSERT INTO gk_login_failure (failures, blocked_until, window_start, key_hash)"
                                    + " VALUES (?, ?, ?, ?)";
                    try (PreparedStatement w = c.prepareStatement(sql)) {
                        int i = 1;
                        w.setInt(i++, failures);
                        w.setTimestamp(i++, blockedUntil);
                        w.setTimestamp(i++, Timestamp.from(windowStart));
                        w.setString(i, key);
                        w.executeUpdate();
                    }
                    return delay;
                });
            } catch (DataAccessException e) {
                // Two instances inserted the first failure at once: count again on the row that won.
                if (!e.isUniqueViolation() || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /** A successful login clears the counter. */
    void reset(String clientIp, String login) {
        String key = key(clientIp, login);
        database.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM gk_login_failure WHERE key_hash = ?")) {
                d.setString(1, key);
                return d.executeUpdate();
            }
        });
    }

    long delayAfter(int failures) {
        if (failures < maxFailures) {
            return 0;
        }
        int doublings = Math.min(30, failures - maxFailures);
        return Math.min(maxDelay, initialDelay << doublings);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static String key(String clientIp, String login) {
        String material = String.valueOf(clientIp) + "\n" + login.trim().toLowerCase(Locale.ROOT);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
