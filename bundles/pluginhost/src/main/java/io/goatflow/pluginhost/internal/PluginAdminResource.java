package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.plugin.api.PluginCallException;
import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/v1/plugins}: the plugin list for agents (what is installed and usable), what enabled plugins contribute
 * (widgets and their content, menu items, cascade handlers), and for admins health, enable, disable, direct calls and
 * each plugin's log. An unknown plugin is 404.
 */
@Component(service = PluginAdminResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginAdminResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PluginHost host;
    private final PluginSupervisor supervisor;
    private final PluginContributions contributions;
    private final PluginGateway gateway;

    @Activate
    public PluginAdminResource(@Reference PluginHost host, @Reference PluginSupervisor supervisor,
            @Reference PluginContributions contributions, @Reference PluginGateway gateway) {
        this.host = host;
        this.supervisor = supervisor;
        this.contributions = contributions;
        this.gateway = gateway;
    }

    /** Dashboard widgets of enabled plugins the agent may see ({@code location} filters), titles translated. */
    @GET
    @Path("widgets")
    public Envelope widgets(@Context SecurityContext security, @Context HttpHeaders headers,
            @QueryParam("location") String location, @QueryParam("lang") String lang) {
        Caller caller = Callers.requireAgent(security);
        return Envelope.ok(contributions.widgets(caller, location,
                PluginTranslations.language(lang, headers.getAcceptableLanguages())));
    }

    /** A widget's content: its handler called with the caller's identity and permissions, like a route. */
    @GET
    @Path("{name}/widgets/{id}")
    public Response widget(@Context SecurityContext security, @Context HttpHeaders headers, @Context UriInfo uri,
            @PathParam("name") String name, @PathParam("id") String id) {
        Caller caller = Callers.requireAgent(security);
        PluginHost.Entry entry = host.usable(name).orElseThrow(() -> ApiException.notFound("Widget"));
        PluginManifest.Widget widget = contributions.widget(entry, id, caller)
                .orElseThrow(() -> ApiException.notFound("Widget"));
        ObjectNode args = gateway.requestArgs(caller, headers, uri);
        args.put("_widget", widget.id());
        return gateway.call(entry, widget.handler(), args, caller);
    }

    /** Menu items of enabled plugins for {@code location} (agent, customer or admin; default by caller). */
    @GET
    @Path("menu")
    public Envelope menu(@Context SecurityContext security, @Context HttpHeaders headers,
            @QueryParam("location") String location, @QueryParam("lang") String lang) {
        Caller caller = Callers.require(security);
        String where = location == null || location.isBlank() ? caller.isCustomer() ? "customer" : "agent"
                : location;
        if (!java.util.Set.of("agent", "customer", "admin").contains(where)) {
            throw ApiException.validation("location must be agent, customer or admin");
        }
        return Envelope.ok(contributions.menu(caller, where,
                PluginTranslations.language(lang, headers.getAcceptableLanguages())));
    }

    /** Cascade handlers of enabled plugins (admins), for one {@code entity_type} or all. */
    @GET
    @Path("cascades")
    public Envelope cascades(@Context SecurityContext security, @QueryParam("entity_type") String entityType) {
        Callers.requireAdmin(security);
        return Envelope.ok(contributions.cascades(entityType == null || entityType.isBlank() ? null : entityType));
    }

    /** Health of every valid plugin (admins), as the admin page polls it. */
    @GET
    @Path("health")
    public Envelope healthOfAll(@Context SecurityContext security) {
        Callers.requireAdmin(security);
        Map<String, Object> all = new java.util.TreeMap<>();
        host.list().stream().filter(e -> e.status != PluginHost.Status.INVALID)
                .forEach(e -> all.put(e.name, supervisor.view(e.name)));
        return Envelope.ok(all);
    }

    @GET
    @Path("{name}/health")
    public Envelope health(@Context SecurityContext security, @PathParam("name") String name) {
        Callers.requireAdmin(security);
        host.get(name).orElseThrow(() -> ApiException.notFound("Plugin"));
        return Envelope.ok(supervisor.view(name));
    }

    /** Ends a crash loop: automatic restarts resume, on every instance. */
    @POST
    @Path("{name}/reset-crashloop")
    public Envelope resetCrashLoop(@Context SecurityContext security, @PathParam("name") String name) {
        Caller admin = Callers.requireAdmin(security);
        host.get(name).orElseThrow(() -> ApiException.notFound("Plugin"));
        supervisor.resetCrashLoop(name, admin.id());
        return Envelope.ok(supervisor.view(name));
    }

    @GET
    public Envelope list(@Context SecurityContext security) {
        Caller caller = Callers.requireAgent(security);
        return Envelope.ok(host.list().stream()
                .filter(e -> caller.admin() || e.status == PluginHost.Status.LOADED && host.enabled(e.name))
                .map(e -> view(e, caller.admin())).toList());
    }

    @GET
    @Path("{name}")
    public Envelope get(@Context SecurityContext security, @PathParam("name") String name) {
        Caller caller = Callers.requireAgent(security);
        PluginHost.Entry e = host.get(name).filter(p -> caller.admin() || host.usable(name).isPresent())
                .orElseThrow(() -> ApiException.notFound("Plugin"));
        return Envelope.ok(view(e, caller.admin()));
    }

    @POST
    @Path("{name}/enable")
    public Envelope enable(@Context SecurityContext security, @PathParam("name") String name) {
        return setEnabled(security, name, true);
    }

    @POST
    @Path("{name}/disable")
    public Envelope disable(@Context SecurityContext security, @PathParam("name") String name) {
        return setEnabled(security, name, false);
    }

    private Envelope setEnabled(SecurityContext security, String name, boolean enabled) {
        Caller admin = Callers.requireAdmin(security);
        PluginHost.Entry e = host.get(name).orElseThrow(() -> ApiException.notFound("Plugin"));
        if (e.status != PluginHost.Status.LOADED) {
            throw ApiException.conflict("PLUGIN_NOT_LOADED", "The plugin is not loaded: " + e.reason);
        }
        host.setEnabled(name, enabled, admin.id());
        return Envelope.ok(view(e, true));
    }

    /** Calls a function of a plugin directly (admins; for diagnostics and tests). */
    @POST
    @Path("{name}/call/{function}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope call(@Context SecurityContext security, @PathParam("name") String name,
            @PathParam("function") String function, JsonNode args) {
        Caller admin = Callers.requireAdmin(security);
        if (host.usable(name).isEmpty() || !gateway.mayUse(admin, name)) {
            throw ApiException.notFound("Plugin");
        }
        try {
            String result = host.callPlugin(name, function, args == null ? "{}" : args.toString(),
                    new HostCallDispatcher.CallScope(admin.orgId(), true));
            return Envelope.ok(result == null || result.isBlank() ? null : JSON.readTree(result));
        } catch (PluginCallException e) {
            throw new ApiException(422, name + ":" + e.code(), e.getMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(502, "PLUGIN_BAD_RESULT", "The plugin answered something that is not JSON");
        }
    }

    @GET
    @Path("{name}/logs")
    public Envelope logs(@Context SecurityContext security, @PathParam("name") String name) {
        Callers.requireAdmin(security);
        if (host.list().stream().noneMatch(e -> e.name.equals(name))) {
            throw ApiException.notFound("Plugin");
        }
        return Envelope.ok(host.logs().of(name));
    }

    private Map<String, Object> view(PluginHost.Entry e, boolean admin) {
        Map<String, Object> v = new LinkedHashMap<>();
        PluginManifest m = e.manifest;
        v.put("name", e.name);
        v.put("version", m == null ? null : m.version());
        v.put("description", m == null ? null : m.description());
        v.put("author", m == null ? null : m.author());
        v.put("runtime", e.runtime);
        v.put("status", e.status.name().toLowerCase(java.util.Locale.ROOT));
        v.put("enabled", e.status != PluginHost.Status.INVALID && host.enabled(e.name));
        if (admin) {
            v.put("reason", e.reason);
            v.put("source", e.bundle);
            v.put("requires", m == null ? List.of() : m.requires());
            if (e.status != PluginHost.Status.INVALID) {
                v.put("health", supervisor.view(e.name));
            }
        }
        v.put("routes", m == null ? List.of() : m.routes().stream()
                .map(r -> (r.method() == null ? "GET" : r.method()) + " /api/plugins/" + e.name + r.path()).toList());
        v.put("widgets", m == null ? List.of() : m.widgets());
        v.put("menu_items", m == null ? List.of() : m.menuItems());
        return v;
    }
}
