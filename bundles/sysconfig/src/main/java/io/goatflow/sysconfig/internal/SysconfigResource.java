package io.goatflow.sysconfig.internal;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
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
 * Admin API for settings, system-wide: list, read, override, reset to default. Each answer names where the value
 * comes from ({@code source}: default or system; {@code tier} is the older name of the same thing).
 */
@Component(service = SysconfigResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/admin/sysconfig")
@Produces(MediaType.APPLICATION_JSON)
public final class SysconfigResource {
    private final SysconfigStore store;

    @Activate
    public SysconfigResource(@Reference SysconfigStore store) {
        this.store = store;
    }

    @GET
    public Envelope list(@Context SecurityContext security, @QueryParam("search") String search,
            @QueryParam("page") String pageParam, @QueryParam("per_page") String perPageParam) {
        Callers.requireAdmin(security);
        PageRequest paging = PageRequest.of(pageParam, perPageParam, 50);
        String filter = search == null || search.isBlank() ? null : search.trim();
        long total = store.count(filter);
        List<Map<String, Object>> items = store.list(filter, (int) paging.offset(), paging.perPage()).stream()
                .map(SettingViews::admin).toList();
        return Envelope.page(items, paging.pagination(total));
    }

    @GET
    @Path("{name}")
    public Envelope get(@Context SecurityContext security, @PathParam("name") String name) {
        Callers.requireAdmin(security);
        return Envelope.ok(SettingViews.admin(store.entry(SettingViews.checkedName(name))
                .orElseThrow(() -> ApiException.notFound("Setting"))));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope set(@Context SecurityContext security, @PathParam("name") String name,
            ValueChange change) {
        Caller admin = Callers.requireAdmin(security);
        Object value = SettingViews.requireValue(change);
        return Envelope.ok(SettingViews.admin(store.override(SettingViews.checkedName(name), value, admin.id())
                .orElseThrow(() -> ApiException.notFound("Setting"))));
    }

    @DELETE
    @Path("{name}")
    public Envelope reset(@Context SecurityContext security, @PathParam("name") String name) {
        Caller admin = Callers.requireAdmin(security);
        return Envelope.ok(SettingViews.admin(store.reset(SettingViews.checkedName(name), admin.id())
                .orElseThrow(() -> ApiException.notFound("Setting"))));
    }
}
