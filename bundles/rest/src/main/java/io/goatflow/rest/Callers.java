package io.goatflow.rest;

import javax.ws.rs.core.SecurityContext;

/** Access checks for resources, on the JAX-RS {@link SecurityContext} the authentication filter sets. */
public final class Callers {
    /**
     * Authentication scheme reported when a credential was sent but the auth area is not running (being
     * swapped): protected routes answer 503 instead of a misleading 401.
     */
    public static final String SCHEME_UNAVAILABLE = "GOATFLOW_AUTH_UNAVAILABLE";

    private Callers() {
    }

    /** The authenticated caller, or 401 (503 while authentication itself is unavailable). */
    public static Caller require(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof Caller caller) {
            return caller;
        }
        if (context != null && SCHEME_UNAVAILABLE.equals(context.getAuthenticationScheme())) {
            throw ApiException.unavailable("AUTH_UNAVAILABLE", "Authentication is restarting; try again shortly");
        }
        throw ApiException.unauthorized();
    }

    /**
     * A caller of an interactive login session: the routes that manage credentials (second factors, access tokens,
     * passkeys) refuse personal access tokens with 403 {@code INTERACTIVE_SESSION_REQUIRED}, so a leaked token
     * cannot make itself permanent or turn 2FA off.
     */
    public static Caller requireInteractive(SecurityContext context) {
        Caller caller = require(context);
        if (caller.isToken()) {
            throw new ApiException(403, "INTERACTIVE_SESSION_REQUIRED",
                    "This needs a signed-in session; access tokens cannot change credentials");
        }
        return caller;
    }

    /** An authenticated agent. Customers get 404: agent routes do not exist for them. */
    public static Caller requireAgent(SecurityContext context) {
        Caller caller = require(context);
        if (caller.kind() != Caller.Kind.AGENT) {
            throw ApiException.notFound("Resource");
        }
        return caller;
    }

    /** An administrator. Everyone else gets 404, so admin routes do not reveal themselves. */
    public static Caller requireAdmin(SecurityContext context) {
        Caller caller = requireAgent(context);
        if (!caller.admin()) {
            throw ApiException.notFound("Resource");
        }
        return caller;
    }
}
