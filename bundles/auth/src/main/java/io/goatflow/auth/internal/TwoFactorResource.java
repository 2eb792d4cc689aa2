package io.goatflow.auth.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Second factors of one's own account (agents and customers) under {@code /api/v1/users/me/two-factor}, the
 * administrators' override that clears another account's second factors, and the admin audit log. Changing a
 * second factor needs an interactive session: an API token cannot turn 2FA off.
 */
@Component(service = TwoFactorResource.class, configurationPid = "io.goatflow.auth")
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class TwoFactorResource {
    private final SecondFactors factors;
    private final Database database;
    private final boolean demoMode;

    @Activate
    public TwoFactorResource(AuthConfig config, @Reference SecondFactors factors, @Reference Database database) {
        this.factors = factors;
        this.database = database;
        this.demoMode = config.demo_mode();
    }

    @GET
    @Path("users/me/two-factor")
    public Envelope status(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(factors.status(caller.kind(), caller.id()).json());
    }

    /** Starts setting up TOTP: the key (shown once), its otpauth URI and a QR code of it. */
    @POST
    @Path("users/me/two-factor/totp")
    public Envelope beginTotp(@Context SecurityContext security) {
        Caller caller = changing(security);
        SecondFactors.Enrolment enrolment = factors.begin(caller.kind(), caller.id(), caller.login());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret", enrolment.secret());
        out.put("otpauth_uri", enrolment.uri());
        out.put("qr_svg", enrolment.qrSvg());
        return Envelope.ok(out);
    }

    /** Confirms the key with a first code; answers the 8 recovery codes, shown this once. */
    @POST
    @Path("users/me/two-factor/totp/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope confirmTotp(@Context SecurityContext security, AuthResource.CodeRequest request) {
        Caller caller = changing(security);
        List<String> codes = factors.confirm(caller.kind(), caller.id(), AuthResource.code(request));
        return Envelope.ok(Map.of("totp_enabled", true, "recovery_codes", codes));
    }

    @POST
    @Path("users/me/two-factor/totp/disable")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope disableTotp(@Context SecurityContext security, AuthResource.CodeRequest request) {
        Caller caller = changing(security);
        factors.disable(caller.kind(), caller.id(), AuthResource.code(request));
        return Envelope.ok(factors.status(caller.kind(), caller.id()).json());
    }

    @POST
    @Path("users/me/two-factor/recovery-codes")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope renewRecoveryCodes(@Context SecurityContext security, AuthResource.CodeRequest request) {
        Caller caller = changing(security);
        return Envelope.ok(Map.of("recovery_codes",
                factors.renewRecoveryCodes(caller.kind(), caller.id(), AuthResource.code(request))));
    }

    /** Admin override for an agent who lost their second factor: clears it, ends their sessions, logs it. */
    @DELETE
    @Path("users/{id}/two-factor")
    public Envelope clearAgent(@Context SecurityContext security, @PathParam("id") long id,
            @Context HttpServletRequest http) {
        return clear(Callers.requireAdmin(security), Caller.Kind.AGENT, id, http);
    }

    @DELETE
    @Path("customer-users/{id}/two-factor")
    public Envelope clearCustomer(@Context SecurityContext security, @PathParam("id") long id,
            @Context HttpServletRequest http) {
        return clear(Callers.requireAdmin(security), Caller.Kind.CUSTOMER, id, http);
    }

    /** The admin audit log, newest first. */
    @GET
    @Path("audit-log")
    public Envelope auditLog(@Context SecurityContext security, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage) {
        Callers.requireAdmin(security);
        PageRequest paging = PageRequest.of(page, perPage, 50);
        return database.inTransaction(c -> {
            long total = ((Number) Jdbc.rows(c, "SELECT COUNT(*) AS n FROM admin_action_log", List.of()).get(0)
                    .get("n")).longValue();
            List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT l.id, l.actor_id, u.login AS actor_login, l.action,"
                    + " l.target_kind, l.target_id, l.detail, l.client_ip, l.created_at FROM admin_action_log l"
                    + " LEFT JOIN users u ON u.id = l.actor_id ORDER BY l.id DESC LIMIT ? OFFSET ?",
                    Jdbc.params(paging.perPage(), paging.offset()));
            return Envelope.page(rows, paging.pagination(total));
        });
    }

    private Envelope clear(Caller admin, Caller.Kind kind, long id, HttpServletRequest http) {
        SecondFactors.Reset done = factors.reset(kind, id, admin.id(), "by " + admin.login() + " through the API",
                AuthResource.clientIp(http));
        return Envelope.ok(Map.of("cleared", done.cleared(), "keys_removed", done.keysRemoved(),
                "sessions_ended", done.sessionsEnded()));
    }

    private Caller changing(SecurityContext security) {
        return ProfileResource.changingCredentials(security, demoMode);
    }
}
