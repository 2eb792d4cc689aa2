package io.goatflow.auth.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ActiveOrganisation;
import io.goatflow.rest.Caller;
import io.goatflow.rest.CallerResolver;
import io.goatflow.sysconfig.ConfigGet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Sessions in {@code gk_session}: 256-bit random tokens, stored as SHA-256, bounded by the OTRS settings
 * SessionMaxTime and SessionMaxIdleTime. Settings are optional here so that a restarting sysconfig bundle never
 * logs anyone out; the shipped defaults apply meanwhile.
 */
@Component(service = {LoginSessions.class, CallerResolver.class})
public final class DatabaseLoginSessions implements LoginSessions, CallerResolver {
    static final long DEFAULT_MAX_SECONDS = 57_600;
    static final long DEFAULT_IDLE_SECONDS = 7_200;
    /** last_seen_at is written at most this often per session, so reads do not turn into writes. */
    private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(60);

    private final Database database;
    private final SecureRandom random = new SecureRandom();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigGet config;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ActiveOrganisation organisations;

    private final ApiTokens tokens;

    @Activate
    public DatabaseLoginSessions(@Reference Database database, @Reference ApiTokens tokens,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
        this.tokens = tokens;
    }

    @Override
    public IssuedSession issue(long userId, Caller.Kind kind, String clientIp, String userAgent) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now();
        Instant expires = now.plusSeconds(setting("SessionMaxTime", DEFAULT_MAX_SECONDS));
        long id = database.inTransaction(c -> {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM gk_session WHERE expires_at < ?")) {
                purge.setTimestamp(1, Timestamp.from(now));
                purge.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO gk_session (token_hash, user_id,"
                    + " user_kind, created_at, last_seen_at, expires_at, client_ip, user_agent)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                insert.setString(1, hash(token));
                insert.setLong(2, userId);
                insert.setString(3, kind.name().toLowerCase(Locale.ROOT));
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setTimestamp(5, Timestamp.from(now));
                insert.setTimestamp(6, Timestamp.from(expires));
                insert.setString(7, truncate(clientIp, 64));
                insert.setString(8, truncate(userAgent, 512));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new IssuedSession(token, id, expires);
    }

    @Override
    public Optional<Caller> resolveBearerToken(String token) {
        return resolveBearerToken(token, null);
    }

    /** A login session token, or a personal access token ({@code gf_…}). */
    @Override
    public Optional<Caller> resolveBearerToken(String token, String clientIp) {
        if (token != null && token.startsWith(ApiTokens.PREFIX) && token.length() <= 128) {
            return database.inTransaction(c -> {
                Optional<ApiTokens.Resolved> found = tokens.resolve(c, token, clientIp);
                if (found.isEmpty()) {
                    return Optional.<Caller>empty();
                }
                ApiTokens.Resolved t = found.get();
                return account(c, t.userId(), t.kind(), 0, Caller.NO_ORG, t.scopes());
            }).map(this::inActiveOrganisation);
        }
        return resolve(token);
    }

    @Override
    public Optional<Caller> resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Instant idleLimit = now.minusSeconds(setting("SessionMaxIdleTime", DEFAULT_IDLE_SECONDS));
        return database.inTransaction(c -> {
            long sessionId;
            long userId;
            Instant lastSeen;
            Caller.Kind kind;
            long requestedOrg;
            try (PreparedStatement q = c.prepareStatement("SELECT id, user_id, user_kind, last_seen_at, org_id"
                    + " FROM gk_session"
                    + " WHERE token_hash = ? AND expires_at > ? AND last_seen_at > ?")) {
                q.setString(1, hash(token));
                q.setTimestamp(2, Timestamp.from(now));
                q.setTimestamp(3, Timestamp.from(idleLimit));
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Caller>empty();
                    }
                    sessionId = rs.getLong("id");
                    userId = rs.getLong("user_id");
                    kind = "customer".equals(rs.getString("user_kind")) ? Caller.Kind.CUSTOMER : Caller.Kind.AGENT;
                    lastSeen = rs.getTimestamp("last_seen_at").toInstant();
                    requestedOrg = rs.getLong("org_id");
                }
            }
            Optional<Caller> caller = account(c, userId, kind, sessionId, requestedOrg, null);
            if (caller.isEmpty()) {
                return caller;
            }
            if (lastSeen.isBefore(now.minus(TOUCH_INTERVAL))) {
                try (PreparedStatement touch = c.prepareStatement(
                        "UPDATE gk_session SET last_seen_at = ? WHERE id = ?")) {
                    touch.setTimestamp(1, Timestamp.from(now));
                    touch.setLong(2, sessionId);
                    touch.executeUpdate();
                }
            }
            return caller;
        }).map(this::inActiveOrganisation);
    }

    /**
     * The caller for a valid account, with its admin flag read now; a token ({@code scopes} not null) is an
     * administrator only with {@code admin:*}.
     */
    private static Optional<Caller> account(Connection c, long userId, Caller.Kind kind, long sessionId, long org,
            Set<String> scopes) throws SQLException {
        String account = kind == Caller.Kind.CUSTOMER
                ? "SELECT u.login, 0 AS is_admin, u.customer_id FROM customer_user u WHERE u.id = ? AND u.valid_id = 1"
                : "SELECT u.login, " + Accounts.ADMIN_FLAG + " AS is_admin, NULL AS customer_id FROM users u"
                        + " WHERE u.id = ? AND u.valid_id = 1";
        try (PreparedStatement q = c.prepareStatement(account)) {
            q.setLong(1, userId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                boolean admin = rs.getInt("is_admin") > 0 && (scopes == null || scopes.contains(Caller.SCOPE_ADMIN));
                return Optional.of(new Caller(userId, rs.getString("login"), kind, admin, sessionId,
                        rs.getString("customer_id"), org, scopes));
            }
        }
    }

    /**
     * Settles the organisation of a resolved caller outside the session transaction (the organisations area reads
     * its own tables). While that area is restarting, the organisation the session last acted in stands.
     */
    private Caller inActiveOrganisation(Caller caller) {
        ActiveOrganisation current = organisations;
        if (current == null) {
            return caller;
        }
        long active = current.resolve(caller.id(), caller.kind(), caller.login(), caller.customerId(),
                caller.orgId());
        if (active != caller.orgId() && !caller.isToken()) {
            // the session remembers where it acts now, so that while the organisations area is away it stays there
            // (or locked out) rather than falling back to no organisation
            chooseOrganisation(caller.sessionId(), active);
        }
        return caller.inOrg(active);
    }

    @Override
    public void chooseOrganisation(long sessionId, long orgId) {
        database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE gk_session SET org_id = ? WHERE id = ?")) {
                update.setLong(1, orgId);
                update.setLong(2, sessionId);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public void revoke(long sessionId) {
        database.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM gk_session WHERE id = ?")) {
                delete.setLong(1, sessionId);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int revokeAll(long userId, Caller.Kind kind) {
        return database.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM gk_session WHERE user_id = ? AND user_kind = ?")) {
                delete.setLong(1, userId);
                delete.setString(2, kind.name().toLowerCase(Locale.ROOT));
                return delete.executeUpdate();
            }
        });
    }

    private long setting(String name, long fallback) {
        ConfigGet current = config;
        long value = current == null ? fallback : current.number(name, fallback);
        return value > 0 ? value : fallback;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Text stored cut to its column's size (client addresses, user agents, audit details). */
    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
