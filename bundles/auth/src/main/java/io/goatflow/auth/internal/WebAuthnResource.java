package io.goatflow.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
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
 * One's own passkeys and security keys (agents and customers) under {@code /api/v1/users/me/webauthn}: list,
 * register (begin with the current password, then finish with the browser's answer) and remove. Changing them needs
 * an interactive session, as for every other credential.
 */
@Component(service = WebAuthnResource.class, configurationPid = "io.goatflow.auth")
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/users/me/webauthn")
@Produces(MediaType.APPLICATION_JSON)
public final class WebAuthnResource {
    private final WebAuthnKeys keys;
    private final Accounts accounts;
    private final PasswordLogin login;
    private final boolean demoMode;

    /**
     * Body of a registration start: {@code passkey} (default) or {@code security_key}, and the account's current
     * password (a new key is a lasting way in; a stolen session alone must not add one).
     */
    public record RegisterRequest(String type, String current_password) {
    }

    /** Body of a registration finish: the ceremony token, the browser's answer, and a name for the key. */
    public record RegisterFinish(String ceremony, JsonNode credential, String name) {
    }

    @Activate
    public WebAuthnResource(AuthConfig config, @Reference WebAuthnKeys keys, @Reference Accounts accounts,
            @Reference PasswordLogin login) {
        this.keys = keys;
        this.login = login;
        this.accounts = accounts;
        this.demoMode = config.demo_mode();
    }

    @GET
    public Envelope list(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(Map.of("keys", keys.list(caller.kind(), caller.id()),
                "max_keys", WebAuthnKeys.MAX_KEYS));
    }

    @POST
    @Path("register/begin")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope beginRegistration(@Context SecurityContext security, RegisterRequest request,
            @Context HttpServletRequest http) {
        Caller caller = changing(security);
        WebAuthnKeys.Purpose purpose = WebAuthnKeys.Purpose.of(request == null ? null : request.type());
        login.confirmCurrentPassword(caller, request == null ? null : request.current_password(),
                AuthResource.clientIp(http));
        Accounts.Account account = accounts.byId(caller.kind(), caller.id())
                .orElseThrow(() -> ApiException.notFound("User"));
        String displayName = ((account.firstName() == null ? "" : account.firstName()) + " "
                + (account.lastName() == null ? "" : account.lastName())).trim();
        return Envelope.ok(keys.beginRegistration(caller.kind(), caller.id(), account.login(), displayName, purpose)
                .json());
    }

    @POST
    @Path("register/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope finishRegistration(@Context SecurityContext security, RegisterFinish request) {
        Caller caller = changing(security);
        if (request == null) {
            throw ApiException.validation("ceremony and credential are required");
        }
        AuthResource.finish(new AuthResource.WebAuthnFinish(request.ceremony(), request.credential(), null));
        return Envelope.ok(keys.finishRegistration(caller.kind(), caller.id(), request.ceremony(),
                request.credential(), request.name()));
    }

    @DELETE
    @Path("{id}")
    public Envelope remove(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = changing(security);
        keys.remove(caller.kind(), caller.id(), id);
        return Envelope.ok(Map.of("deleted", true));
    }

    private Caller changing(SecurityContext security) {
        return ProfileResource.changingCredentials(security, demoMode);
    }
}
