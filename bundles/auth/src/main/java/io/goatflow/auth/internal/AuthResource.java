package io.goatflow.auth.internal;

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
 * session of either form on every instance.
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

    private final PasswordLogin login;
    private final LoginSessions sessions;
    private final SessionCookies cookies;

    /** Body of a login. */
    public record LoginRequest(String login, String password, Boolean cookie) {
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
        String ip = http == null ? null : http.getRemoteAddr();
        PasswordLogin.LoggedIn done = login.login(kind, request.login().trim(), request.password(), ip,
                headers.getHeaderString(HttpHeaders.USER_AGENT));
        Accounts.Account account = done.account();
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
        boolean cookie = Boolean.TRUE.equals(request.cookie());
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
        return response.build();
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
