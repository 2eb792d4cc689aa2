package io.goatflow.auth.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.Caller;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Logins between the password and the second factor, in {@code gk_totp_pending_session} so that the second step
 * may land on any instance. The browser holds a random token in an HttpOnly cookie; the table holds its SHA-256.
 * A pending login lives {@value #LIFETIME_MINUTES} minutes, answers only the client IP that started it, allows
 * {@value #MAX_ATTEMPTS} attempts and is consumed once.
 */
@Component(service = PendingLogins.class)
public final class PendingLogins {
    static final int LIFETIME_MINUTES = 5;
    static final int MAX_ATTEMPTS = 5;

    private final Database database;
    private final SecureRandom random = new SecureRandom();

    /** A pending login; {@code wantsCookie} carries the first step's choice of a cookie or a bearer token. */
    record Pending(long id, Caller.Kind kind, long userId, boolean wantsCookie, int attemptsLeft) {
    }

    record Started(String token, Instant expiresAt) {
    }

    @Activate
    public PendingLogins(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
    }

    Started start(Caller.Kind kind, long userId, String clientIp, String userAgent, boolean wantsCookie) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now();
        Instant expires = now.plus(Duration.ofMinutes(LIFETIME_MINUTES));
        database.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM gk_totp_pending_session WHERE expires_at < ?", Jdbc.params(now));
            return Jdbc.insert(c, "INSERT INTO gk_totp_pending_session (token_hash, user_kind, user_id, client_ip,"
                    + " user_agent, wants_cookie, attempts, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                    Jdbc.params(DatabaseLoginSessions.hash(token), kind.name().toLowerCase(Locale.ROOT), userId,
                            DatabaseLoginSessions.truncate(clientIp, 64),
                            DatabaseLoginSessions.truncate(userAgent, 512), wantsCookie ? 1 : 0, now, expires));
        });
        return new Started(token, expires);
    }

    /**
     * Counts one attempt on the pending login of {@code token}, committed before the code is checked so that
     * parallel guesses cannot share an attempt. Empty when the token is unknown, expired, used up, already consumed
     * or presented from another client IP; all of these look the same to the caller.
     */
    Optional<Pending> attempt(String token, String clientIp) {
        return find(token, clientIp, true);
    }

    /**
     * The pending login of {@code token} without counting an attempt (starting a security-key step, which proves
     * nothing yet); empty in the same cases as {@link #attempt}.
     */
    Optional<Pending> peek(String token, String clientIp) {
        return find(token, clientIp, false);
    }

    private Optional<Pending> find(String token, String clientIp, boolean counts) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return database.inTransaction(c -> {
            Pending found;
            String boundIp;
            int attempts;
            try (PreparedStatement q = c.prepareStatement("SELECT id, user_kind, user_id, client_ip, wants_cookie,"
                    + " attempts FROM gk_totp_pending_session WHERE token_hash = ? AND expires_at > ? FOR UPDATE")) {
                q.setString(1, DatabaseLoginSessions.hash(token));
                q.setTimestamp(2, java.sql.Timestamp.from(now));
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Pending>empty();
                    }
                    attempts = rs.getInt("attempts");
                    boundIp = rs.getString("client_ip");
                    found = new Pending(rs.getLong("id"), "customer".equals(rs.getString("user_kind"))
                            ? Caller.Kind.CUSTOMER : Caller.Kind.AGENT, rs.getLong("user_id"),
                            rs.getInt("wants_cookie") == 1, MAX_ATTEMPTS - attempts - 1);
                }
            }
            if (!Objects.equals(boundIp, DatabaseLoginSessions.truncate(clientIp, 64))) {
                return Optional.<Pending>empty();
            }
            if (attempts >= MAX_ATTEMPTS) {
                Jdbc.update(c, "DELETE FROM gk_totp_pending_session WHERE id = ?", Jdbc.params(found.id()));
                return Optional.<Pending>empty();
            }
            if (!counts) {
                return Optional.of(new Pending(found.id(), found.kind(), found.userId(), found.wantsCookie(),
                        MAX_ATTEMPTS - attempts));
            }
            Jdbc.update(c, "UPDATE gk_totp_pending_session SET attempts = attempts + 1 WHERE id = ?",
                    Jdbc.params(found.id()));
            return Optional.of(found);
        });
    }

    /** Ends a pending login; true only for the one caller that ended it, so a login completes once. */
    boolean consume(long id) {
        return database.inTransaction(c ->
                Jdbc.update(c, "DELETE FROM gk_totp_pending_session WHERE id = ?", Jdbc.params(id)) == 1);
    }

    /** Ends every pending login of an account (second factor cleared by an administrator, account disabled). */
    int discardAll(Caller.Kind kind, long userId) {
        return database.inTransaction(c -> Jdbc.update(c, "DELETE FROM gk_totp_pending_session WHERE user_kind = ?"
                + " AND user_id = ?", Jdbc.params(kind.name().toLowerCase(Locale.ROOT), userId)));
    }

}
