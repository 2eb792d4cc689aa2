package io.goatflow.rest.internal;

import io.goatflow.rest.Caller;
import io.goatflow.rest.CallerResolver;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import io.goatflow.rest.SameOrigin;
import io.goatflow.rest.SessionCookies;
import java.security.Principal;
import java.util.Optional;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * The API's one authentication filter: resolves the request's credential (bearer token, else the agent or
 * customer session cookie) to a {@link Caller} and exposes it as
 * the JAX-RS {@link SecurityContext}. It never rejects a request itself; resources decide with {@link Callers}.
 * The resolver is optional and dynamic, so the auth bundle can be swapped while the API keeps serving.
 */
@Component(service = ContainerRequestFilter.class, immediate = true)
@JaxrsExtension
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@PreMatching
public final class AuthenticationFilter implements ContainerRequestFilter {
    private static final String BEARER = "Bearer ";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CallerResolver resolver;

    @Context
    private HttpServletRequest servletRequest;

    private String clientIp() {
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            // no servlet request behind this call (never the case under Pax Web)
            return null;
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String token = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        String scheme = "Bearer";
        Caller.Kind cookieKind = null;
        if (token == null) {
            for (Caller.Kind kind : Caller.Kind.values()) {
                Cookie cookie = request.getCookies().get(SessionCookies.cookieName(kind));
                if (cookie != null && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                    token = cookie.getValue();
                    cookieKind = kind;
                    scheme = "Cookie";
                    break;
                }
            }
            if (token == null) {
                return;
            }
            if (!sameOriginOrSafe(request)) {
                // A cross-site write riding on the browser's cookie: treat it as anonymous.
                return;
            }
        }
        CallerResolver current = resolver;
        if (current == null) {
            request.setSecurityContext(new CallerContext(null, Callers.SCHEME_UNAVAILABLE, request));
            return;
        }
        Optional<Caller> caller = current.resolveBearerToken(token, clientIp());
        // access tokens count only in the Authorization header, never as a cookie
        if (caller.isPresent() && cookieKind != null && caller.get().isToken()) {
            return;
        }
        if (caller.isPresent() && (cookieKind == null || caller.get().kind() == cookieKind)) {
            if (caller.get().isToken() && !scopeAllows(caller.get(), request.getMethod())) {
                request.abortWith(Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Envelope.error("INSUFFICIENT_SCOPE", "This access token may only read"
                                + " (it lacks " + Caller.SCOPE_TICKETS_WRITE + ")"))
                        .build());
                return;
            }
            request.setSecurityContext(new CallerContext(caller.get(), scheme, request));
        }
    }

    /**
     * What a personal access token may do, by method: reading needs any scope, writing {@code tickets:write} or
     * {@code admin:*}. Administration routes are settled by the caller's admin flag, which a token has only with
     * {@code admin:*}; credential routes refuse tokens altogether ({@link Callers#requireInteractive}).
     */
    static boolean scopeAllows(Caller caller, String method) {
        if (caller.scopes().contains(Caller.SCOPE_TICKETS_WRITE) || caller.scopes().contains(Caller.SCOPE_ADMIN)) {
            return true;
        }
        boolean safe = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        return safe && caller.scopes().contains(Caller.SCOPE_TICKETS_READ);
    }

    static boolean sameOriginOrSafe(ContainerRequestContext request) {
        return SameOrigin.allows(request.getMethod(), request.getHeaderString("Origin"),
                request.getHeaderString("Sec-Fetch-Site"), request.getHeaderString(HttpHeaders.HOST));
    }

    static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() || token.length() > 512 ? null : token;
    }

    private record CallerContext(Caller caller, String scheme, ContainerRequestContext request)
            implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller != null && "admin".equals(role) && caller.admin();
        }

        @Override
        public boolean isSecure() {
            return "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme());
        }

        @Override
        public String getAuthenticationScheme() {
            return scheme;
        }
    }
}
