package io.goatflow.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.auth.LoginSessions;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import io.goatflow.rest.SessionCookies;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Password login for agents ({@code POST /api/v1/auth/login}) and customers ({@code POST
 * /api/v1/auth/customer/login}): a bearer token in the body for scripts, or with {@code "cookie": true} the
 * HttpOnly session cookie for browsers (then no token in the body). {@code POST /api/v1/auth/logout} ends the
 * session of either form on every instance. When the account has a second factor, the password step answers
 * {@code second_factor_required} with an HttpOnly pending login cookie, and {@code POST /api/v1/auth/2fa/verify}
 * with a code completes the login.
 */
@Component(service = AuthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {
    private static final int LOGIN_MAX = 200;
    private static final int PASSWORD_MAX = 1024;
    private static final int CODE_MAX = 64;

    private final PasswordLogin login;
    private final LoginSessions sessions;
    private final SessionCookies cookies;

    /** Body of a login. */
    public record LoginRequest(String login, String password, Boolean cookie) {
    }

    /** Body of a second factor step: a 6-digit TOTP code or a recovery code. */
    public record CodeRequest(String code) {
    }

    /**
     * Body finishing a WebAuthn ceremony: the {@code ceremony} token its begin answered and the browser's
     * {@code PublicKeyCredential} as JSON ({@code credential.toJSON()}); {@code cookie} as for a password login.
     */
    public record WebAuthnFinish(String ceremony, JsonNode credential, Boolean cookie) {
    }

    @Activate
    public AuthResource(@Reference PasswordLogin login, @Reference LoginSessions sessions,
            @Reference SessionCookies cookies) {
        this.login = login;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response agentLogin(LoginRequest request, @Context HttpServletRequest http,
            @Context HttpHeaders headers) {
        return login(Caller.Kind.AGENT, request, http, headers);
    }

    @POST
    @Path("customer/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response customerLogin(LoginRequest request, @Context HttpServletRequest http,
            @Context HttpHeaders headers) {
        return login(Caller.Kind.CUSTOMER, request, http, headers);
    }

    private Response login(Caller.Kind kind, LoginRequest request, HttpServletRequest http, HttpHeaders headers) {
        if (request == null || blank(request.login()) || request.password() == null || request.password().isEmpty()) {
            throw ApiException.validation("login and password are required");
        }
        if (request.login().length() > LOGIN_MAX || request.password().length() > PASSWORD_MAX) {
            throw ApiException.validation("login or password is too long");
        }
        PasswordLogin.LoggedIn done = login.login(kind, request.login().trim(), request.password(), clientIp(http),
                headers.getHeaderString(HttpHeaders.USER_AGENT), Boolean.TRUE.equals(request.cookie()));
        if (done.pending() != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("second_factor_required", true);
            data.put("methods", done.methods());
            data.put("expires_at", done.pending().expiresAt());
            return Response.ok(Envelope.ok(data))
                    .header(HttpHeaders.SET_COOKIE, cookies.issuePending(done.pending().token(),
                            done.pending().expiresAt()))
                    .build();
        }
        return loggedIn(done).build();
    }

    /**
     * The second step of a login whose account has a second factor: the pending login cookie from the password step
     * and a TOTP or recovery code. On success the same answer as a login without a second factor, in the form
     * (cookie or bearer token) the password step asked for.
     */
    @POST
    @Path("2fa/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response verifySecondFactor(CodeRequest request, @Context HttpServletRequest http,
            @Context HttpHeaders headers) {
        String code = code(request);
        PasswordLogin.LoggedIn done = login.completeSecondFactor(pendingToken(headers), code, clientIp(http),
                headers.getHeaderString(HttpHeaders.USER_AGENT));
        return loggedIn(done)
                .header(HttpHeaders.SET_COOKIE, cookies.clearPending()).build();
    }

    /** Starts a passwordless sign-in: options for {@code navigator.credentials.get} with any passkey of this site. */
    @POST
    @Path("passkey/begin")
    public Envelope beginPasskey(@Context HttpServletRequest http) {
        return Envelope.ok(login.beginPasskey(clientIp(http)).json());
    }

    /** Finishes a passwordless sign-in; the passkey decides whose session (agent or customer) opens. */
    @POST
    @Path("passkey/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response finishPasskey(WebAuthnFinish request, @Context HttpServletRequest http,
            @Context HttpHeaders headers) {
        WebAuthnFinish body = finish(request);
        return loggedIn(login.passkeyLogin(body.ceremony(), body.credential(), Boolean.TRUE.equals(body.cookie()),
                clientIp(http), headers.getHeaderString(HttpHeaders.USER_AGENT))).build();
    }

    /** Starts the security-key step of a pending login (the pending login cookie from the password step). */
    @POST
    @Path("2fa/webauthn/begin")
    public Envelope beginSecurityKey(@Context HttpServletRequest http, @Context HttpHeaders headers) {
        return Envelope.ok(login.beginSecurityKey(pendingToken(headers), clientIp(http)).json());
    }

    /** Finishes the security-key step; on success the same answer as {@code 2fa/verify}. */
    @POST
    @Path("2fa/webauthn/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response finishSecurityKey(WebAuthnFinish request, @Context HttpServletRequest http,
            @Context HttpHeaders headers) {
        WebAuthnFinish body = finish(request);
        PasswordLogin.LoggedIn done = login.completeSecurityKey(pendingToken(headers), body.ceremony(),
                body.credential(), clientIp(http), headers.getHeaderString(HttpHeaders.USER_AGENT));
        return loggedIn(done).header(HttpHeaders.SET_COOKIE, cookies.clearPending()).build();
    }

    /** The pending login cookie of the second step of a login, or null. */
    private static String pendingToken(HttpHeaders headers) {
        Cookie pending = headers.getCookies().get(SessionCookies.PENDING_COOKIE);
        return pending == null ? null : pending.getValue();
    }

    /** A finish body with a ceremony token and a credential object, or 400 {@code VALIDATION_FAILED}. */
    static WebAuthnFinish finish(WebAuthnFinish request) {
        if (request == null || blank(request.ceremony()) || request.ceremony().length() > CODE_MAX * 2) {
            throw ApiException.validation("ceremony is required");
        }
        if (request.credential() == null || !request.credential().isObject()) {
            throw ApiException.validation("credential is required");
        }
        return request;
    }

    private Response.ResponseBuilder loggedIn(PasswordLogin.LoggedIn done) {
        boolean cookie = done.cookie();
        Accounts.Account account = done.account();
        Caller.Kind kind = account.kind();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", account.id());
        user.put("login", account.login());
        user.put("first_name", account.firstName());
        user.put("last_name", account.lastName());
        user.put("kind", kind == Caller.Kind.CUSTOMER ? "customer" : "agent");
        if (kind == Caller.Kind.CUSTOMER) {
            user.put("customer_id", account.customerId());
            user.put("email", account.email());
        } else {
            user.put("admin", account.admin());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (!cookie) {
            data.put("token", done.session().token());
            data.put("token_type", "Bearer");
        }
        data.put("expires_at", done.session().expiresAt());
        data.put("user", user);
        Response.ResponseBuilder response = Response.ok(Envelope.ok(data));
        if (cookie) {
            response.header(HttpHeaders.SET_COOKIE,
                    cookies.issue(kind, done.session().token(), done.session().expiresAt()));
        }
        return response;
    }

    /** The code of a second-factor request (login step or profile change), or 400 {@code VALIDATION_FAILED}. */
    static String code(CodeRequest request) {
        if (request == null || blank(request.code()) || request.code().length() > CODE_MAX) {
            throw ApiException.validation("code is required");
        }
        return request.code();
    }

    static String clientIp(HttpServletRequest http) {
        return http == null ? null : http.getRemoteAddr();
    }

    @POST
    @Path("logout")
    public Response logout(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        sessions.revoke(caller.sessionId());
        login.publish("auth.logout", Map.of("user_id", caller.id(),
                "kind", caller.isCustomer() ? "customer" : "agent"));
        return Response.ok(Envelope.ok(Map.of("logged_out", true)))
                .header(HttpHeaders.SET_COOKIE, cookies.clear(caller.kind())).build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
