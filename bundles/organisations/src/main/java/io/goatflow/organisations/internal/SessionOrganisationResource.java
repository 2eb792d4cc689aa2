package io.goatflow.organisations.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.organisations.Organisation;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
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
 * The org switcher: {@code GET /api/v1/session/orgs} lists the organisations the caller may act in (the current one
 * marked), {@code POST /api/v1/session/org} switches the session. The choice is stored with the session in the
 * database and checked again on every request, so it holds on every instance and ends with the membership.
 */
@Component(service = SessionOrganisationResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/session")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionOrganisationResource {
    private final OrganisationStore store;
    private final LoginSessions sessions;

    /** Body of a switch. */
    public record SwitchRequest(Long org_id) {
    }

    @Activate
    public SessionOrganisationResource(@Reference OrganisationStore store, @Reference LoginSessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    @GET
    @Path("orgs")
    public Envelope organisations(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(store.reachable(caller).stream().map(r -> entry(r, caller)).toList());
    }

    @POST
    @Path("org")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope choose(@Context SecurityContext security, SwitchRequest request) {
        Caller caller = Callers.require(security);
        if (request == null || request.org_id() == null) {
            throw ApiException.fieldErrors(Map.of("org_id", "is required"));
        }
        List<OrganisationStore.Reachable> reachable = store.reachable(caller);
        OrganisationStore.Reachable target = reachable.stream()
                .filter(r -> r.organisation().id() == request.org_id()).findFirst()
                // an organisation the caller does not belong to does not exist for it
                .orElseThrow(() -> ApiException.notFound("Organisation"));
        if (!target.organisation().active()) {
            throw ApiException.conflict("ORG_NOT_ACTIVE", "The organisation " + target.organisation().name()
                    + " is " + target.organisation().status());
        }
        sessions.chooseOrganisation(caller.sessionId(), target.organisation().id());
        return Envelope.ok(entry(target, caller.inOrg(target.organisation().id())));
    }

    private static Map<String, Object> entry(OrganisationStore.Reachable r, Caller caller) {
        Organisation o = r.organisation();
        Map<String, Object> data = OrganisationResource.view(o);
        data.put("role", r.role());
        data.put("is_default", r.isDefault());
        data.put("inherited", r.inherited());
        data.put("current", o.id() == caller.orgId());
        return data;
    }
}
