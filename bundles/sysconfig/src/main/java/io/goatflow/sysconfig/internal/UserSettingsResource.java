package io.goatflow.sysconfig.internal;

import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
import io.goatflow.sysconfig.ConfigScope;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
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
 * An agent's own values of user-modifiable settings ({@code /api/v1/users/me/settings}): the settings with the
 * value the agent gets and where it comes from, set one, drop one. Customers have no user tier: 404 for them, as
 * for every agent route.
 */
@Component(service = UserSettingsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/users/me/settings")
@Produces(MediaType.APPLICATION_JSON)
public final class UserSettingsResource {
    private final SysconfigStore store;

    @Activate
    public UserSettingsResource(@Reference SysconfigStore store) {
        this.store = store;
    }

    @GET
    public Envelope list(@Context SecurityContext security, @QueryParam("page") String pageParam,
            @QueryParam("per_page") String perPageParam) {
        Caller agent = Callers.requireAgent(security);
        PageRequest paging = PageRequest.of(pageParam, perPageParam, 50);
        long total = store.countUserModifiable();
        List<Map<String, Object>> items = store.userModifiable(scopeOf(agent), (int) paging.offset(),
                paging.perPage()).stream().map(SettingViews::forAgent).toList();
        return Envelope.page(items, paging.pagination(total));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope set(@Context SecurityContext security, @PathParam("name") String name, ValueChange change) {
        Caller agent = Callers.requireAgent(security);
        Object value = SettingViews.requireValue(change);
        return Envelope.ok(SettingViews.forAgent(
                store.writeAgentValue(scopeOf(agent), SettingViews.checkedName(name), value)));
    }

    @DELETE
    @Path("{name}")
    public Envelope reset(@Context SecurityContext security, @PathParam("name") String name) {
        Caller agent = Callers.requireAgent(security);
        return Envelope.ok(SettingViews.forAgent(
                store.removeAgentValue(scopeOf(agent), SettingViews.checkedName(name))));
    }

    /**
     * The agent in the organisation it acts in. An agent locked out of all its organisations
     * ({@link Caller#LOCKED_OUT}) acts in none here: it gets system values, never some organisation's.
     */
    static ConfigScope scopeOf(Caller agent) {
        return ConfigScope.agent(Math.max(agent.orgId(), Caller.NO_ORG), agent.id());
    }
}
