package io.goatflow.auth.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.internal.twofactor.Base32;
import io.goatflow.auth.internal.twofactor.QrSvg;
import io.goatflow.auth.internal.twofactor.Totp;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.securesettings.SecureSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * TOTP second factors and their recovery codes. The TOTP key is sealed with the installation's secure settings
 * key ({@code core/totp.<kind>.<id>}); {@code gk_totp} says whether it is enabled and which time step was used
 * last, so a code is accepted once on whichever instance sees it first. Recovery codes (128 bits, stored as
 * SHA-256) are single-use. A wrong code counts towards a per-account throttle shared with every instance.
 */
@Component(service = SecondFactors.class, configurationPid = "io.goatflow.auth")
public final class SecondFactors {
    static final int RECOVERY_CODES = 8;
    /** 160 bits, the HMAC-SHA1 block the RFC recommends. */
    private static final int KEY_BYTES = 20;
    private static final String THROTTLE_SCOPE = "second-factor";

    private final Database database;
    private final LoginLimiter limiter;
    private final PendingLogins pending;
    private final LoginSessions sessions;
    private final WebAuthnKeys keys;
    private final String issuer;
    private final Totp totp = Totp.standard();
    private final SecureRandom random = new SecureRandom();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecureSettings secrets;

    record Status(boolean totpEnabled, boolean totpPending, int recoveryCodesLeft, Instant enabledAt) {
        Map<String, Object> json() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("totp_enabled", totpEnabled);
            out.put("totp_setup_pending", totpPending);
            out.put("recovery_codes_left", recoveryCodesLeft);
            out.put("enabled_at", enabledAt);
            return out;
        }
    }

    /** A TOTP key being set up: shown once, as text and as a QR code of its {@code otpauth://} URI. */
    record Enrolment(String secret, String uri, String qrSvg) {
    }

    @Activate
    public SecondFactors(AuthConfig config, @Reference Database database, @Reference LoginLimiter limiter,
            @Reference PendingLogins pending, @Reference LoginSessions sessions, @Reference WebAuthnKeys keys,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
        this.limiter = limiter;
        this.pending = pending;
        this.sessions = sessions;
        this.keys = keys;
        String name = config.totp_issuer() == null ? "" : config.totp_issuer().trim();
        this.issuer = name.isEmpty() ? "GoatFlow" : name;
    }

    /**
     * The second factors the account can use after its password: {@code totp}, {@code recovery_code},
     * {@code webauthn}.
     */
    List<String> methods(Caller.Kind kind, long userId) {
        return database.inTransaction(c -> {
            List<String> methods = new ArrayList<>(3);
            if (isOn(c, kind, userId)) {
                methods.add("totp");
                methods.add("recovery_code");
            }
            if (keys.any(c, kind, userId)) {
                methods.add("webauthn");
            }
            return methods;
        });
    }

    private static boolean isOn(Connection c, Caller.Kind kind, long userId) throws SQLException {
        return !Jdbc.rows(c, "SELECT 1 AS one FROM gk_totp WHERE user_kind = ? AND user_id = ? AND enabled = 1",
                Jdbc.params(kindName(kind), userId)).isEmpty();
    }

    Status status(Caller.Kind kind, long userId) {
        return database.inTransaction(c -> {
            List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT enabled, enabled_at FROM gk_totp"
                    + " WHERE user_kind = ? AND user_id = ?", Jdbc.params(kindName(kind), userId));
            boolean enabled = !rows.isEmpty() && ((Number) rows.get(0).get("enabled")).intValue() == 1;
            Number left = (Number) Jdbc.rows(c, "SELECT COUNT(*) AS n FROM gk_totp_recovery_code WHERE user_kind = ?"
                    + " AND user_id = ? AND used_at IS NULL", Jdbc.params(kindName(kind), userId)).get(0).get("n");
            return new Status(enabled, !rows.isEmpty() && !enabled, enabled ? left.intValue() : 0,
                    enabled ? (Instant) rows.get(0).get("enabled_at") : null);
        });
    }

    /**
     * Starts (or restarts) setting up TOTP: a fresh key that works only once confirmed with a code. 409 while TOTP
     * is enabled: the old key has to be disabled with a code first.
     */
    Enrolment begin(Caller.Kind kind, long userId, String login) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        String secret = Base32.encode(key);
        SecureSettings store = secrets();
        database.inTransaction(c -> {
            List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT enabled FROM gk_totp WHERE user_kind = ?"
                    + " AND user_id = ? FOR UPDATE", Jdbc.params(kindName(kind), userId));
            if (!rows.isEmpty() && ((Number) rows.get(0).get("enabled")).intValue() == 1) {
                throw ApiException.conflict("TOTP_ALREADY_ENABLED",
                        "Two-factor authentication is already on; turn it off with a code first");
            }
            if (rows.isEmpty()) {
                Jdbc.update(c, "INSERT INTO gk_totp (user_kind, user_id, enabled, last_step, created_at)"
                        + " VALUES (?, ?, 0, 0, ?)", Jdbc.params(kindName(kind), userId, Instant.now()));
            } else {
                Jdbc.update(c, "UPDATE gk_totp SET last_step = 0, created_at = ? WHERE user_kind = ? AND user_id = ?",
                        Jdbc.params(Instant.now(), kindName(kind), userId));
            }
            // sealed inside the transaction: if storing the key fails, no half-set-up row remains
            store.set(SecureSettings.CORE_NAMESPACE, keyName(kind, userId), SecureSettings.GLOBAL_ORG, secret,
                    kind == Caller.Kind.AGENT ? userId : 0);
            return null;
        });
        String label = enc(issuer) + ":" + enc(login);
        String uri = "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=6&period=" + Totp.STEP_SECONDS;
        return new Enrolment(secret, uri, QrSvg.of(uri));
    }

    /** Turns TOTP on with a first code from the app; answers the recovery codes, shown this once. */
    List<String> confirm(Caller.Kind kind, long userId, String code) {
        throttle(kind, userId);
        byte[] key = key(kind, userId).orElseThrow(() -> ApiException.conflict("TOTP_NOT_STARTED",
                "Start setting up two-factor authentication first"));
        List<String> codes = database.inTransaction(c -> {
            List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT enabled, last_step FROM gk_totp WHERE user_kind = ?"
                    + " AND user_id = ? FOR UPDATE", Jdbc.params(kindName(kind), userId));
            if (rows.isEmpty()) {
                throw ApiException.conflict("TOTP_NOT_STARTED", "Start setting up two-factor authentication first");
            }
            if (((Number) rows.get(0).get("enabled")).intValue() == 1) {
                throw ApiException.conflict("TOTP_ALREADY_ENABLED", "Two-factor authentication is already on");
            }
            long step = totp.matchingStep(key, code, Instant.now());
            if (step < 0) {
                return null;
            }
            Jdbc.update(c, "UPDATE gk_totp SET enabled = 1, enabled_at = ?, last_step = ? WHERE user_kind = ?"
                    + " AND user_id = ?", Jdbc.params(Instant.now(), step, kindName(kind), userId));
            return replaceRecoveryCodes(c, kind, userId);
        });
        if (codes == null) {
            throw invalidCode();
        }
        limiter.reset(THROTTLE_SCOPE, throttleKey(kind, userId));
        return codes;
    }

    /** Turns TOTP off; needs a current code or an unused recovery code. */
    void disable(Caller.Kind kind, long userId, String code) {
        requireEnabled(kind, userId);
        if (!accept(kind, userId, code)) {
            throw invalidCode();
        }
        clear(kind, userId);
    }

    /** New recovery codes (the old ones stop working); needs a current code or an unused recovery code. */
    List<String> renewRecoveryCodes(Caller.Kind kind, long userId, String code) {
        requireEnabled(kind, userId);
        if (!accept(kind, userId, code)) {
            throw invalidCode();
        }
        return database.inTransaction(c -> replaceRecoveryCodes(c, kind, userId));
    }

    /**
     * Checks a second factor: a TOTP code (each time step once) or an unused recovery code, which is used up. Counts
     * towards the account's throttle; 429 while it holds.
     */
    boolean accept(Caller.Kind kind, long userId, String code) {
        throttle(kind, userId);
        String given = code == null ? "" : code.trim();
        boolean ok;
        if (given.matches("\\d{6}")) {
            ok = key(kind, userId).map(key -> {
                long step = totp.matchingStep(key, given, Instant.now());
                // compare-and-set on last_step: of two instances seeing the same code, one wins
                return step >= 0 && database.inTransaction(c -> Jdbc.update(c, "UPDATE gk_totp SET last_step = ?"
                        + " WHERE user_kind = ? AND user_id = ? AND enabled = 1 AND last_step < ?",
                        Jdbc.params(step, kindName(kind), userId, step)) == 1);
            }).orElse(false);
        } else {
            String normalised = given.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
            ok = normalised.length() == 32 && database.inTransaction(c -> Jdbc.update(c,
                    "UPDATE gk_totp_recovery_code SET used_at = ? WHERE code_hash = ? AND user_kind = ?"
                            + " AND user_id = ? AND used_at IS NULL", Jdbc.params(Instant.now(),
                                    DatabaseLoginSessions.hash(normalised), kindName(kind), userId)) == 1);
        }
        if (ok) {
            limiter.reset(THROTTLE_SCOPE, throttleKey(kind, userId));
        }
        return ok;
    }

    /** What {@link #reset} did: whether TOTP was on, how many keys were removed, how many sessions ended. */
    public record Reset(boolean cleared, int keysRemoved, int sessionsEnded) {
    }

    /**
     * The administrators' override for someone who lost their authenticator (REST and Karaf shell alike): removes
     * TOTP, recovery codes, passkeys and security keys and writes the audit entry in one transaction, then drops the
     * sealed key, the account's pending logins and (when it had a second factor) its sessions. 404 for an unknown
     * account.
     */
    public Reset reset(Caller.Kind kind, long userId, long actorId, String via, String clientIp) {
        String table = kind == Caller.Kind.AGENT ? "users" : "customer_user";
        Reset cleared = database.inTransaction(c -> {
            if (Jdbc.rows(c, "SELECT id FROM " + table + " WHERE id = ?", Jdbc.params(userId)).isEmpty()) {
                throw ApiException.notFound(kind == Caller.Kind.AGENT ? "User" : "Customer user");
            }
            boolean had = clear(c, kind, userId);
            int keysRemoved = keys.clear(c, kind, userId);
            AuditLog.record(c, actorId, "two_factor.cleared", kind, userId,
                    (had ? "TOTP and recovery codes removed" : "TOTP was not on") + "; " + keysRemoved
                            + " passkeys and security keys removed (" + via + ")", clientIp);
            return new Reset(had, keysRemoved, 0);
        });
        forgetKey(kind, userId);
        pending.discardAll(kind, userId);
        boolean hadAny = cleared.cleared() || cleared.keysRemoved() > 0;
        return new Reset(cleared.cleared(), cleared.keysRemoved(), hadAny ? sessions.revokeAll(userId, kind) : 0);
    }

    /** Removes TOTP and recovery codes of an account; true if TOTP was on. */
    boolean clear(Caller.Kind kind, long userId) {
        boolean had = database.inTransaction(c -> clear(c, kind, userId));
        forgetKey(kind, userId);
        return had;
    }

    /** The rows of {@link #clear(Caller.Kind, long)} in the caller's transaction; true if TOTP was on. */
    private boolean clear(Connection c, Caller.Kind kind, long userId) throws SQLException {
        boolean wasOn = isOn(c, kind, userId);
        Jdbc.update(c, "DELETE FROM gk_totp WHERE user_kind = ? AND user_id = ?", Jdbc.params(kindName(kind), userId));
        Jdbc.update(c, "DELETE FROM gk_totp_recovery_code WHERE user_kind = ? AND user_id = ?",
                Jdbc.params(kindName(kind), userId));
        return wasOn;
    }

    private void forgetKey(Caller.Kind kind, long userId) {
        SecureSettings store = secrets;
        if (store != null) {
            store.delete(SecureSettings.CORE_NAMESPACE, keyName(kind, userId), SecureSettings.GLOBAL_ORG);
        }
    }

    private void requireEnabled(Caller.Kind kind, long userId) {
        if (!database.inTransaction(c -> isOn(c, kind, userId))) {
            throw ApiException.conflict("TOTP_NOT_ENABLED", "Two-factor authentication is not on");
        }
    }

    private void throttle(Caller.Kind kind, long userId) {
        LoginLimiter.Attempt attempt = limiter.begin(THROTTLE_SCOPE, throttleKey(kind, userId));
        if (attempt.refused()) {
            throw new ApiException(429, "TOO_MANY_ATTEMPTS", "Too many wrong codes; try again in "
                    + attempt.waitSeconds() + " seconds", (int) Math.min(attempt.waitSeconds(), 3600));
        }
    }

    private List<String> replaceRecoveryCodes(Connection c, Caller.Kind kind, long userId) throws SQLException {
        Jdbc.update(c, "DELETE FROM gk_totp_recovery_code WHERE user_kind = ? AND user_id = ?",
                Jdbc.params(kindName(kind), userId));
        List<String> codes = new ArrayList<>(RECOVERY_CODES);
        Instant now = Instant.now();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] bits = new byte[16];
            random.nextBytes(bits);
            String hex = java.util.HexFormat.of().formatHex(bits);
            Jdbc.update(c, "INSERT INTO gk_totp_recovery_code (user_kind, user_id, code_hash, created_at)"
                    + " VALUES (?, ?, ?, ?)",
                    Jdbc.params(kindName(kind), userId, DatabaseLoginSessions.hash(hex), now));
            // groups of four are easier to copy by hand; the dashes are ignored when the code is typed back
            codes.add(String.join("-", hex.split("(?<=\\G.{4})")));
        }
        return codes;
    }

    private java.util.Optional<byte[]> key(Caller.Kind kind, long userId) {
        return secrets().get(SecureSettings.CORE_NAMESPACE, keyName(kind, userId), SecureSettings.GLOBAL_ORG)
                .map(Base32::decode);
    }

    private SecureSettings secrets() {
        SecureSettings store = secrets;
        if (store == null) {
            throw ApiException.unavailable("SECURE_SETTINGS_UNAVAILABLE",
                    "Second factors are unavailable while secure settings restart; try again shortly");
        }
        return store;
    }

    private static ApiException invalidCode() {
        return new ApiException(400, "INVALID_CODE", "The code is not correct");
    }

    static String keyName(Caller.Kind kind, long userId) {
        return "totp." + kindName(kind) + "." + userId;
    }

    private static String throttleKey(Caller.Kind kind, long userId) {
        return kindName(kind) + ":" + userId;
    }

    static String kindName(Caller.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
