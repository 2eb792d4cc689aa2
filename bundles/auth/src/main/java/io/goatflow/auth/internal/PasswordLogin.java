package io.goatflow.auth.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.events.DomainEvents;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import java.util.Map;
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    /**
     * A right password: a session, or (second factor on) a pending login that {@link #completeSecondFactor}
     * turns into one. Exactly one of {@code session} and {@code pending} is set; {@code cookie} is the form the
     * password step asked for (session cookie or bearer token).
     */
    record LoggedIn(Accounts.Account account, LoginSessions.IssuedSession session, PendingLogins.Started pending,
            boolean cookie) {
    }

    @Activate
    public PasswordLogin(@Reference Accounts accounts, @Reference PasswordHashing passwords,
            @Reference LoginSessions sessions, @Reference LoginLimiter limiter, @Reference SecondFactors secondFactors,
            @Reference PendingLogins pending) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limiter = limiter;
        this.secondFactors = secondFactors;
        this.pending = pending;
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
        if (secondFactors.required(kind, account.id())) {
            // no session and no token before the second factor
            return new LoggedIn(account, null, pending.start(kind, account.id(), clientIp, userAgent, wantsCookie),
                    wantsCookie);
        }
        return new LoggedIn(account, loggedIn(account, clientIp, userAgent), null, wantsCookie);
    }

    /**
     * The second step of a login: the pending login of {@code pendingToken} (same client IP, attempts left) and a
     * TOTP or recovery code. The account comes from the pending login, never from the request. 401
     * {@code LOGIN_EXPIRED} when the pending login is gone (expired, used up, consumed, other IP), 401
     * {@code INVALID_CODE} for a wrong code, 429 while the account's code throttle holds.
     */
    LoggedIn completeSecondFactor(String pendingToken, String code, String clientIp, String userAgent) {
        PendingLogins.Pending step = pending.attempt(pendingToken, clientIp).orElseThrow(PasswordLogin::expired);
        boolean ok;
        try {
            ok = secondFactors.accept(step.kind(), step.userId(), code);
        } catch (ApiException e) {
            if (step.attemptsLeft() == 0) {
                pending.consume(step.id());
            }
            throw e;
        }
        String kindName = step.kind() == Caller.Kind.CUSTOMER ? "customer" : "agent";
        if (!ok) {
            if (step.attemptsLeft() == 0) {
                pending.consume(step.id());
            }
            publish("auth.second_factor_failed", Map.of("user_id", step.userId(), "kind", kindName, "client_ip",
                    String.valueOf(clientIp)));
            throw new ApiException(401, "INVALID_CODE", step.attemptsLeft() == 0
                    ? "The code is not correct; sign in again" : "The code is not correct");
        }
        Accounts.Account account = accounts.byId(step.kind(), step.userId()).filter(Accounts.Account::valid)
                .orElseThrow(PasswordLogin::expired);
        if (!pending.consume(step.id())) {
            throw expired();
        }
        return new LoggedIn(account, loggedIn(account, clientIp, userAgent), null, step.wantsCookie());
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
