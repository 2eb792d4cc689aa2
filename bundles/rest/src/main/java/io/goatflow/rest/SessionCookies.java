package io.goatflow.rest;

import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * GoatFlow's one cookie policy for login sessions: HttpOnly always, {@code Secure} unless configured off
 * ({@code cookie.secure} in {@code etc/io.goatflow.rest.cfg}; browsers accept Secure cookies on
 * http://localhost), {@code SameSite} as configured ({@code cookie.same.site}, default Lax). Agents and
 * customers have separate cookies, so one browser can hold both.
 */
@ProviderType
public interface SessionCookies {
    String AGENT_COOKIE = "GOATFLOW_SESSION";
    String CUSTOMER_COOKIE = "GOATFLOW_CUSTOMER_SESSION";
    /** A login waiting for its second factor (agents and customers alike: the pending login knows which). */
    String PENDING_COOKIE = "GOATFLOW_PENDING_LOGIN";

    static String cookieName(Caller.Kind kind) {
        return kind == Caller.Kind.CUSTOMER ? CUSTOMER_COOKIE : AGENT_COOKIE;
    }

    /** The {@code Set-Cookie} header value that stores a session token until it expires. */
    String issue(Caller.Kind kind, String token, Instant expiresAt);

    /** The {@code Set-Cookie} header value that removes the session cookie. */
    String clear(Caller.Kind kind);

    /** The {@code Set-Cookie} header value of a pending login's token, until the pending login expires. */
    String issuePending(String token, Instant expiresAt);

    /** The {@code Set-Cookie} header value that removes the pending login cookie. */
    String clearPending();

    /**
     * A cookie under the same policy that lives until the browser closes (no Max-Age): the web console's
     * language and theme for visitors and demo accounts. {@code value} must be a cookie-safe token.
     */
    String sessionOnly(String name, String value);
}
