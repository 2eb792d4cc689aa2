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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Failed-login throttle per client IP + login, kept in {@code gk_login_failure} so every instance counts the
 * same failures (every attempt counts until it succeeds): {@code login.max.failures} within {@code login.window.seconds} are free, then each further
 * attempt must wait a delay that doubles from {@code login.delay.initial.seconds} up to
 * {@code login.delay.max.seconds}. Unknown logins are counted like known ones, so the throttle reveals nothing.
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

    /**
     * The outcome of {@link #begin}: {@code waitSeconds > 0} means refused now; otherwise the attempt has already
     * been counted as a failure and {@code delayIfFailed} is the wait a wrong password now leads to.
     */
    record Attempt(long waitSeconds, long delayIfFailed) {
        boolean refused() {
            return waitSeconds > 0;
        }
    }

    /**
     * Counts an attempt before the password is checked, under a row lock, so that parallel guesses cannot all pass
     * the check before the first failure is written; a success then clears the row with {@link #reset}.
     */
    Attempt begin(String clientIp, String login) {
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
                                if (blocked != null && blocked.toInstant().isAfter(now)) {
                                    long millis = blocked.toInstant().toEpochMilli() - now.toEpochMilli();
                                    return new Attempt(Math.max(1, (millis + 999) / 1000), 0);
                                }
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
                        w.setInt(1, failures);
                        w.setTimestamp(2, blockedUntil);
                        w.setTimestamp(3, Timestamp.from(windowStart));
                        w.setString(4, key);
                        w.executeUpdate();
                    }
                    return new Attempt(0, delay);
                });
            } catch (DataAccessException e) {
                // two instances inserted the first attempt at once: count again on the row that won
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
