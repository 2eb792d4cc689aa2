package io.goatflow.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.auth.internal.webauthn.CredentialStore;
import io.goatflow.events.DomainEvents;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Every login (agent or customer, bearer or cookie): the password step (throttle, verify), the second factor step
 * when the account has one, then {@link LoginSessions#issue}. Every password failure looks the same to the caller
 * (no account enumeration).
 */
@Component(service = PasswordLogin.class)
public final class PasswordLogin {
    static final String INVALID_CREDENTIALS = "Invalid login or password";

    private final Accounts accounts;
    private final PasswordHashing passwords;
    private final LoginSessions sessions;
    private final LoginLimiter limiter;
    private final SecondFactors secondFactors;
    private final PendingLogins pending;
    private final WebAuthnKeys keys;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    /**
     * A right password: a session, or (second factor on) a pending login that {@link #completeSecondFactor}
     * turns into one. Exactly one of {@code session} and {@code pending} is set; {@code cookie} is the form the
     * password step asked for (session cookie or bearer token); {@code methods} the second factors the pending
     * login accepts.
     */
    record LoggedIn(Accounts.Account account, LoginSessions.IssuedSession session, PendingLogins.Started pending,
            boolean cookie, List<String> methods) {
    }

    @Activate
    public PasswordLogin(@Reference Accounts accounts, @Reference PasswordHashing passwords,
            @Reference LoginSessions sessions, @Reference LoginLimiter limiter, @Reference SecondFactors secondFactors,
            @Reference PendingLogins pending, @Reference WebAuthnKeys keys) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limiter = limiter;
        this.secondFactors = secondFactors;
        this.pending = pending;
        this.keys = keys;
    }

    /**
     * Logs in or throws: 401 {@code INVALID_CREDENTIALS} for a wrong login, password or disabled account, 429
     * {@code TOO_MANY_ATTEMPTS} (with Retry-After) while the throttle holds.
     */
    LoggedIn login(Caller.Kind kind, String login, String password, String clientIp, String userAgent,
            boolean wantsCookie) {
        LoginLimiter.Attempt attempt = limiter.begin(clientIp, login);
        if (attempt.refused()) {
            throw tooMany(attempt.waitSeconds());
        }
        Accounts.Account account = accounts.byLogin(kind, login).orElse(null);
        boolean ok;
        if (account == null || account.passwordHash() == null || account.passwordHash().isEmpty()) {
            passwords.verifyNothing(password);
            ok = false;
        } else {
            ok = passwords.verify(password, account.passwordHash()) && account.valid();
        }
        String kindName = kind == Caller.Kind.CUSTOMER ? "customer" : "agent";
        if (!ok) {
            long delay = attempt.delayIfFailed();
            publish("auth.login_failed", Map.of("login", login, "kind", kindName, "client_ip",
                    String.valueOf(clientIp)));
            if (delay > 0) {
                throw tooMany(delay);
            }
            throw new ApiException(401, "INVALID_CREDENTIALS", INVALID_CREDENTIALS);
        }
        limiter.reset(clientIp, login);
        List<String> methods = secondFactors.methods(kind, account.id());
        if (!methods.isEmpty()) {
            // no session and no token before the second factor
            return new LoggedIn(account, null, pending.start(kind, account.id(), clientIp, userAgent, wantsCookie),
                    wantsCookie, methods);
        }
        return new LoggedIn(account, loggedIn(account, clientIp, userAgent), null, wantsCookie, null);
    }

    /**
     * The second step of a login: the pending login of {@code pendingToken} (same client IP, attempts left) and a
     * TOTP or recovery code. The account comes from the pending login, never from the request. 401
     * {@code LOGIN_EXPIRED} when the pending login is gone (expired, used up, consumed, other IP), 401
     * {@code INVALID_CODE} for a wrong code, 429 while the account's code throttle holds.
     */
    LoggedIn completeSecondFactor(String pendingToken, String code, String clientIp, String userAgent) {
        return secondStep(pendingToken, clientIp, userAgent,
                step -> secondFactors.accept(step.kind(), step.userId(), code), "INVALID_CODE",
                "The code is not correct");
    }

    /**
     * Credential changes (new password, new passkey) ask for the current password again, so that a stolen session
     * cannot lock the owner out or plant a lasting way in. Throttled like a login; 400 {@code WRONG_PASSWORD}.
     */
    void confirmCurrentPassword(Caller caller, String password, String clientIp) {
        if (password == null || password.isEmpty() || password.length() > 1024) {
            throw ApiException.validation("current_password is required");
        }
        LoginLimiter.Attempt attempt = limiter.begin(clientIp, caller.login());
        if (attempt.refused()) {
            throw tooMany(attempt.waitSeconds());
        }
        Accounts.Account account = accounts.byId(caller.kind(), caller.id()).orElseThrow(ApiException::unauthorized);
        String stored = account.passwordHash();
        if (stored == null || stored.isEmpty() || !passwords.verify(password, stored)) {
            long delay = attempt.delayIfFailed();
            if (delay > 0) {
                throw tooMany(delay);
            }
            throw ApiException.badRequest("WRONG_PASSWORD", "The current password is not correct");
        }
        limiter.reset(clientIp, caller.login());
    }

    /** Starts a passwordless sign-in (any passkey of this site). */
    WebAuthnKeys.Begun beginPasskey(String clientIp) {
        return keys.beginPasskeyLogin(clientIp);
    }

    /** Starts the security-key step of a pending login (no attempt counted: nothing is proven yet). */
    WebAuthnKeys.Begun beginSecurityKey(String pendingToken, String clientIp) {
        PendingLogins.Pending step = pending.peek(pendingToken, clientIp).orElseThrow(PasswordLogin::expired);
        return keys.beginSecondFactor(step.kind(), step.userId(), step.id());
    }

    /**
     * The security-key step of a pending login: the signed answer to the ceremony {@link #beginSecurityKey} started
     * for this same pending login. Counts an attempt like a code; 401 {@code LOGIN_EXPIRED} or {@code KEY_REJECTED}.
     */
    LoggedIn completeSecurityKey(String pendingToken, String ceremony, JsonNode credential, String clientIp,
            String userAgent) {
        return secondStep(pendingToken, clientIp, userAgent,
                step -> keys.finishSecondFactor(ceremony, credential, step.kind(), step.userId(), step.id()),
                "KEY_REJECTED", "The security key was not accepted");
    }

    /**
     * The second step of a login, whichever factor: counts an attempt on the pending login, checks the proof, and on
     * success consumes the pending login (once, on whichever instance) and opens the session. The last failed
     * attempt ends the pending login.
     */
    private LoggedIn secondStep(String pendingToken, String clientIp, String userAgent,
            Predicate<PendingLogins.Pending> proof, String refusedCode, String refusedMessage) {
        PendingLogins.Pending step = pending.attempt(pendingToken, clientIp).orElseThrow(PasswordLogin::expired);
        boolean ok;
        try {
            ok = proof.test(step);
        } catch (ApiException e) {
            if (step.attemptsLeft() == 0) {
                pending.consume(step.id());
            }
            throw e;
        }
        if (!ok) {
            if (step.attemptsLeft() == 0) {
                pending.consume(step.id());
            }
            publish("auth.second_factor_failed", Map.of("user_id", step.userId(), "kind",
                    step.kind() == Caller.Kind.CUSTOMER ? "customer" : "agent", "client_ip", String.valueOf(clientIp)));
            throw new ApiException(401, refusedCode, step.attemptsLeft() == 0
                    ? refusedMessage + "; sign in again" : refusedMessage);
        }
        Accounts.Account account = accounts.byId(step.kind(), step.userId()).filter(Accounts.Account::valid)
                .orElseThrow(PasswordLogin::expired);
        if (!pending.consume(step.id())) {
            throw expired();
        }
        return new LoggedIn(account, loggedIn(account, clientIp, userAgent), null, step.wantsCookie(), null);
    }

    /**
     * A passwordless login: the passkey's account (agent or customer, whichever the key belongs to) gets a session.
     * 401 {@code PASSKEY_REJECTED} for a bad answer or a disabled account, alike.
     */
    LoggedIn passkeyLogin(String ceremony, JsonNode credential, boolean wantsCookie, String clientIp,
            String userAgent) {
        CredentialStore.Account owner;
        try {
            owner = keys.finishPasskeyLogin(ceremony, credential);
        } catch (ApiException e) {
            publish("auth.login_failed", Map.of("method", "passkey", "client_ip", String.valueOf(clientIp)));
            throw e;
        }
        Accounts.Account account = accounts.byId(owner.kind(), owner.id()).filter(Accounts.Account::valid)
                .orElseThrow(() -> new ApiException(401, "PASSKEY_REJECTED", "This passkey was not accepted"));
        return new LoggedIn(account, loggedIn(account, clientIp, userAgent), null, wantsCookie, null);
    }

    /** The one way a login ends in a session, whichever steps it took. */
    private LoginSessions.IssuedSession loggedIn(Accounts.Account account, String clientIp, String userAgent) {
        LoginSessions.IssuedSession session = sessions.issue(account.id(), account.kind(), clientIp, userAgent);
        publish("auth.login_succeeded", Map.of("user_id", account.id(),
                "kind", account.kind() == Caller.Kind.CUSTOMER ? "customer" : "agent"));
        return session;
    }

    private static ApiException expired() {
        return new ApiException(401, "LOGIN_EXPIRED", "This sign-in has expired; enter your password again");
    }

    private static ApiException tooMany(long seconds) {
        return new ApiException(429, "TOO_MANY_ATTEMPTS",
                "Too many failed logins; try again in " + seconds + " seconds", (int) Math.min(seconds, 3600));
    }

    void publish(String type, Map<String, Object> data) {
        DomainEvents current = events;
        if (current != null) {
            current.publish(type, data);
        }
    }
}
