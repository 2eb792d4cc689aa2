package io.goatflow.auth.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.events.DomainEvents;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
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
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** Bearer login for scripts and integrations: {@code POST /api/v1/auth/login}, {@code POST /api/v1/auth/logout}. */
@Component(service = AuthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {
    static final String INVALID_CREDENTIALS = "Invalid login or password";
    private static final int LOGIN_MAX = 200;
    private static final int PASSWORD_MAX = 1024;

    private final Agents agents;
    private final PasswordHashing passwords;
    private final LoginSessions sessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    /** Body of a login. */
    public record LoginRequest(String login, String password) {
    }

    @Activate
    public AuthResource(@Reference Agents agents, @Reference PasswordHashing passwords,
            @Reference LoginSessions sessions) {
        this.agents = agents;
        this.passwords = passwords;
        this.sessions = sessions;
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope login(LoginRequest request, @Context HttpServletRequest http, @Context HttpHeaders headers) {
        if (request == null || blank(request.login()) || request.password() == null || request.password().isEmpty()) {
            throw ApiException.validation("login and password are required");
        }
        if (request.login().length() > LOGIN_MAX || request.password().length() > PASSWORD_MAX) {
            throw ApiException.validation("login or password is too long");
        }
        String login = request.login().trim();
        Agents.Agent agent = agents.byLogin(login).orElse(null);
        boolean ok;
        if (agent == null) {
            passwords.verifyNothing(request.password());
            ok = false;
        } else {
            ok = passwords.verify(request.password(), agent.passwordHash()) && agent.valid();
        }
        String ip = http == null ? null : http.getRemoteAddr();
        if (!ok) {
            publish("auth.login_failed", Map.of("login", login, "client_ip", String.valueOf(ip)));
            throw new ApiException(401, "INVALID_CREDENTIALS", INVALID_CREDENTIALS);
        }
        LoginSessions.IssuedSession session = sessions.issue(agent.id(), Caller.Kind.AGENT, ip,
                headers.getHeaderString(HttpHeaders.USER_AGENT));
        publish("auth.login_succeeded", Map.of("user_id", agent.id(), "kind", "agent"));

        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", agent.id());
        user.put("login", agent.login());
        user.put("first_name", agent.firstName());
        user.put("last_name", agent.lastName());
        user.put("kind", "agent");
        user.put("admin", agent.admin());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", session.token());
        data.put("token_type", "Bearer");
        data.put("expires_at", session.expiresAt());
        data.put("user", user);
        return Envelope.ok(data);
    }

    @POST
    @Path("logout")
    public Envelope logout(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        sessions.revoke(caller.sessionId());
        publish("auth.logout", Map.of("user_id", caller.id()));
        return Envelope.ok(Map.of("logged_out", true));
    }

    private void publish(String type, Map<String, Object> data) {
        DomainEvents current = events;
        if (current != null) {
            current.publish(type, data);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
