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
 * The password step of every login (agent or customer, bearer or cookie): throttle, verify, then
 * {@link LoginSessions#issue}. Every failure looks the same to the caller (no account enumeration).
 */
@Component(service = PasswordLogin.class)
public final class PasswordLogin {
    static final String INVALID_CREDENTIALS = "Invalid login or password";

    private final Accounts accounts;
    private final PasswordHashing passwords;
    private final LoginSessions sessions;
    private final LoginLimiter limiter;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    record LoggedIn(Accounts.Account account, LoginSessions.IssuedSession session) {
    }

    @Activate
    public PasswordLogin(@Reference Accounts accounts, @Reference PasswordHashing passwords,
            @Reference LoginSessions sessions, @Reference LoginLimiter limiter) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limiter = limiter;
    }

    /**
     * Logs in or throws: 401 {@code INVALID_CREDENTIALS} for a wrong login, password or disabled account, 429
     * {@code TOO_MANY_ATTEMPTS} (with Retry-After) while the throttle holds.
     */
    LoggedIn login(Caller.Kind kind, String login, String password, String clientIp, String userAgent) {
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
        LoginSessions.IssuedSession session = sessions.issue(account.id(), kind, clientIp, userAgent);
        publish("auth.login_succeeded", Map.of("user_id", account.id(), "kind", kindName));
        return new LoggedIn(account, session);
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
