package io.goatflow.sysconfig.internal;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import io.goatflow.sysconfig.ConfigScope;
import javax.ws.rs.GET;
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
 * {@code GET /api/v1/sysconfig/{name}/resolution?org_id=&user_id=}: for admins, what every tier holds for one
 * organisation and agent and which tier wins, so an admin page can show where a value comes from.
 */
@Component(service = SettingResolutionResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/sysconfig")
@Produces(MediaType.APPLICATION_JSON)
public final class SettingResolutionResource {
    private final SysconfigStore store;

    @Activate
    public SettingResolutionResource(@Reference SysconfigStore store) {
        this.store = store;
    }

    @GET
    @Path("{name}/resolution")
    public Envelope resolution(@Context SecurityContext security, @PathParam("name") String name,
            @QueryParam("org_id") String orgId, @QueryParam("user_id") String userId) {
        Callers.requireAdmin(security);
        ConfigScope scope = ConfigScope.agent(id("org_id", orgId), id("user_id", userId));
        return Envelope.ok(SettingViews.resolution(store.resolution(SettingViews.checkedName(name), scope)
                .orElseThrow(() -> ApiException.notFound("Setting"))));
    }

    /** An optional id parameter: absent or empty is 0 (none). */
    private static long id(String parameter, String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(text.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below like a negative number
        }
        throw ApiException.validation(parameter + " must be a whole number of at least 0");
    }
}
