package io.goatflow.auth;

import io.goatflow.rest.Caller;
import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Login sessions, stored in the database so that every instance sees them. The only place sessions are issued:
 * password logins, with or without a second factor step, end in {@link #issue} (and so will passkeys).
 */
@ProviderType
public interface LoginSessions {

    /** A new session; the token is returned once and only its hash is kept. */
    IssuedSession issue(long userId, Caller.Kind kind, String clientIp, String userAgent);

    /** The caller of a live session token (not expired, not idle too long, account still valid). */
    Optional<Caller> resolve(String token);

    /**
     * Records the organisation a session chose with the org switcher, for every instance. The caller checks the
     * membership first; it is checked again on every request.
     */
    void chooseOrganisation(long sessionId, long orgId);

    /** Ends a session at once, on every instance. */
    void revoke(long sessionId);

    /** Ends every session of one account, on every instance (password change, account disabled). */
    int revokeAll(long userId, Caller.Kind kind);

    record IssuedSession(String token, long sessionId, Instant expiresAt) {
    }
}
