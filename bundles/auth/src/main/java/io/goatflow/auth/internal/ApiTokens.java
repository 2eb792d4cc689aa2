package io.goatflow.auth.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Personal access tokens in {@code user_api_tokens}: {@code gf_} and 43 random characters (256 bits), shown once,
 * stored as SHA-256 with their first {@value #PREFIX_LENGTH} characters to tell them apart. A token acts for its
 * owner with the owner's rights, narrowed by its scopes, until it expires or is revoked; it skips the interactive
 * second factor by design (it is itself a second secret that was created inside a full login).
 */
@Component(service = ApiTokens.class)
public final class ApiTokens {
    static final String PREFIX = "gf_";
    static final int PREFIX_LENGTH = 10;
    static final int NAME_MAX = 100;
    static final int MAX_PER_ACCOUNT = 50;
    static final List<String> SCOPES = List.of(Caller.SCOPE_TICKETS_READ, Caller.SCOPE_TICKETS_WRITE,
            Caller.SCOPE_ADMIN);
    /** last_used_at is written at most this often per token (unless the IP changes). */
    private static final Duration TOUCH_INTERVAL = Duration.ofSeconds(60);
    private static final String COLUMNS = "id, name, prefix, scopes, created_at, expires_at, last_used_at,"
            + " last_used_ip, revoked_at";

    private final Database database;
    private final SecureRandom random = new SecureRandom();

    /** A token row as resolution needs it. */
    record Resolved(long id, Caller.Kind kind, long userId, Set<String> scopes) {
    }

    record Created(String token, Map<String, Object> info) {
    }

    @Activate
    public ApiTokens(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
    }

    /** The scopes an account may give its tokens: {@code admin:*} only for administrators. */
    static List<String> scopesFor(Caller.Kind kind, boolean admin) {
        return kind == Caller.Kind.AGENT && admin ? SCOPES : SCOPES.subList(0, 2);
    }

    Created create(Caller.Kind kind, long userId, boolean ownerIsAdmin, long createdBy, String name,
            List<String> scopes, Integer expiresInDays) {
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.length() > NAME_MAX || cleanName.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.fieldErrors(Map.of("name", "1 to " + NAME_MAX + " characters, no control characters"));
        }
        if (scopes == null || scopes.isEmpty()) {
            throw ApiException.fieldErrors(Map.of("scopes", "at least one of " + String.join(", ",
                    scopesFor(kind, ownerIsAdmin))));
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || !scopesFor(kind, ownerIsAdmin).contains(scope)) {
                throw ApiException.fieldErrors(Map.of("scopes", "unknown or not allowed for this account: "
                        + (scope == null ? "null" : scope.length() > 40 ? scope.substring(0, 40) : scope)));
            }
            chosen.add(scope);
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            throw ApiException.fieldErrors(Map.of("expires_in_days", "1 to 3650, or null for a token that does not"
                    + " expire"));
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        Map<String, Object> info = database.inTransaction(c -> {
            Number live = (Number) Jdbc.rows(c, "SELECT COUNT(*) AS n FROM user_api_tokens WHERE user_kind = ?"
                    + " AND user_id = ? AND revoked_at IS NULL", Jdbc.params(kindName(kind), userId)).get(0).get("n");
            if (live.intValue() >= MAX_PER_ACCOUNT) {
                throw ApiException.conflict("TOO_MANY_TOKENS", "An account has at most " + MAX_PER_ACCOUNT
                        + " tokens; revoke one first");
            }
            long id = Jdbc.insert(c, "INSERT INTO user_api_tokens (user_kind, user_id, name, prefix, token_hash,"
                    + " scopes, created_at, expires_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Jdbc.params(kindName(kind), userId, cleanName, token.substring(0, PREFIX_LENGTH),
                            DatabaseLoginSessions.hash(token), String.join(" ", chosen), now, expires, createdBy));
            return one(c, kind, userId, id).orElseThrow();
        });
        return new Created(token, info);
    }

    List<Map<String, Object>> list(Caller.Kind kind, long userId) {
        return database.inTransaction(c -> Jdbc.rows(c, "SELECT " + COLUMNS + " FROM user_api_tokens"
                + " WHERE user_kind = ? AND user_id = ? ORDER BY id DESC", Jdbc.params(kindName(kind), userId))
                .stream().map(ApiTokens::view).toList());
    }

    /** Revokes a token of this account at once, on every instance; 404 for a token of someone else. */
    Map<String, Object> revoke(Connection c, Caller.Kind kind, long userId, long tokenId) throws SQLException {
        Jdbc.update(c, "UPDATE user_api_tokens SET revoked_at = ? WHERE id = ? AND user_kind = ? AND user_id = ?"
                + " AND revoked_at IS NULL", Jdbc.params(Instant.now(), tokenId, kindName(kind), userId));
        return one(c, kind, userId, tokenId).orElseThrow(() -> ApiException.notFound("Token"));
    }

    Map<String, Object> revoke(Caller.Kind kind, long userId, long tokenId) {
        return database.inTransaction(c -> revoke(c, kind, userId, tokenId));
    }

    /** The live token behind {@code token}, noting when and from where it was used; empty otherwise. */
    Optional<Resolved> resolve(Connection c, String token, String clientIp) throws SQLException {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Resolved resolved;
        Instant lastUsed;
        String lastIp;
        try (PreparedStatement q = c.prepareStatement("SELECT id, user_kind, user_id, scopes, last_used_at,"
                + " last_used_ip FROM user_api_tokens WHERE token_hash = ? AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?)")) {
            q.setString(1, DatabaseLoginSessions.hash(token));
            q.setTimestamp(2, java.sql.Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                resolved = new Resolved(rs.getLong("id"), "customer".equals(rs.getString("user_kind"))
                        ? Caller.Kind.CUSTOMER : Caller.Kind.AGENT, rs.getLong("user_id"),
                        Set.of(rs.getString("scopes").split(" ")));
                lastUsed = Jdbc.instant(rs, "last_used_at");
                lastIp = rs.getString("last_used_ip");
            }
        }
        String ip = DatabaseLoginSessions.truncate(clientIp, 64);
        if (lastUsed == null || lastUsed.isBefore(now.minus(TOUCH_INTERVAL)) || !java.util.Objects.equals(lastIp, ip)) {
            Jdbc.update(c, "UPDATE user_api_tokens SET last_used_at = ?, last_used_ip = ? WHERE id = ?",
                    Jdbc.params(now, ip, resolved.id()));
        }
        return Optional.of(resolved);
    }

    private static Optional<Map<String, Object>> one(Connection c, Caller.Kind kind, long userId, long id)
            throws SQLException {
        return Jdbc.rows(c, "SELECT " + COLUMNS + " FROM user_api_tokens WHERE id = ? AND user_kind = ?"
                + " AND user_id = ?", Jdbc.params(id, kindName(kind), userId)).stream().findFirst()
                .map(ApiTokens::view);
    }

    private static Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(row);
        out.put("scopes", List.of(((String) row.get("scopes")).split(" ")));
        Instant expires = (Instant) row.get("expires_at");
        String state = row.get("revoked_at") != null ? "revoked"
                : expires != null && expires.isBefore(Instant.now()) ? "expired" : "active";
        out.put("status", state);
        return out;
    }

    private static String kindName(Caller.Kind kind) {
        return SecondFactors.kindName(kind);
    }
}
