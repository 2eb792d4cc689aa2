package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.auth.Permissions;
import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.RestApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Plugin routes: {@code /api/plugins/<plugin><path>} as the manifest declares them. The request becomes a call of
 * the route's handler with {@code _method}, {@code _path}, {@code _params}, {@code _query}, {@code _body} and what
 * {@link PluginGateway} stamps (caller, language), which also turns the answer into the envelope. A disabled or
 * unknown plugin, or an undeclared route, is 404.
 */
@Component(service = PluginRouteResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("plugins/{plugin}/{path: .+}")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginRouteResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PluginHost host;
    private final Permissions permissions;
    private final PluginGateway gateway;

    @Activate
    public PluginRouteResource(@Reference PluginHost host, @Reference Permissions permissions,
            @Reference PluginGateway gateway) {
        this.host = host;
        this.permissions = permissions;
        this.gateway = gateway;
    }

    @GET
    public Response get(@Context SecurityContext s, @Context HttpHeaders h, @Context UriInfo uri,
            @PathParam("plugin") String plugin, @PathParam("path") String path) {
        return route("GET", s, h, uri, plugin, path, null);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(@Context SecurityContext s, @Context HttpHeaders h, @Context UriInfo uri,
            @PathParam("plugin") String plugin, @PathParam("path") String path, InputStream body) throws IOException {
        return route("POST", s, h, uri, plugin, path, body);
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response put(@Context SecurityContext s, @Context HttpHeaders h, @Context UriInfo uri,
            @PathParam("plugin") String plugin, @PathParam("path") String path, InputStream body) throws IOException {
        return route("PUT", s, h, uri, plugin, path, body);
    }

    @PATCH
    @Consumes(MediaType.WILDCARD)
    public Response patch(@Context SecurityContext s, @Context HttpHeaders h, @Context UriInfo uri,
            @PathParam("plugin") String plugin, @PathParam("path") String path, InputStream body) throws IOException {
        return route("PATCH", s, h, uri, plugin, path, body);
    }

    @DELETE
    public Response delete(@Context SecurityContext s, @Context HttpHeaders h, @Context UriInfo uri,
            @PathParam("plugin") String plugin, @PathParam("path") String path) {
        return route("DELETE", s, h, uri, plugin, path, null);
    }

    private Response route(String method, SecurityContext security, HttpHeaders headers, UriInfo uri,
            String plugin, String path, InputStream body) {
        PluginHost.Entry entry = host.usable(plugin).orElseThrow(() -> ApiException.notFound("Plugin route"));
        String requestPath = "/" + path;
        Map<String, String> params = new LinkedHashMap<>();
        PluginManifest.Route route = entry.manifest.routes().stream()
                .filter(r -> method.equals(r.method() == null ? "GET" : r.method().toUpperCase(Locale.ROOT)))
                .filter(r -> matches(r.path(), requestPath, params))
                .findFirst().orElseThrow(() -> ApiException.notFound("Plugin route"));
        Caller caller = authorise(security, route);
        ObjectNode args = gateway.requestArgs(caller, headers, uri);
        args.put("_method", method);
        args.put("_path", requestPath);
        args.set("_params", JSON.valueToTree(params));
        if (body != null) {
            try {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                    try {
                        args.set("_body", JSON.readTree(text));
                    } catch (JsonProcessingException notJson) {
                        args.put("_body", text);
                    }
                }
            } catch (IOException e) {
                throw new ApiException(400, "BAD_REQUEST", "The request body could not be read");
            }
        }
        return gateway.call(entry, route.handler(), args, caller);
    }

    /** The caller the route's middleware asks for (null for public routes); every listed condition must hold. */
    private Caller authorise(SecurityContext security, PluginManifest.Route route) {
        List<String> middleware = route.middleware() == null || route.middleware().isEmpty() ? List.of("auth")
                : route.middleware();
        if (middleware.contains("none")) {
            return security.getUserPrincipal() instanceof Caller c ? c : null;
        }
        if (middleware.contains("webhook")) {
            // signed webhooks arrive with the webhook area; until then such routes do not exist
            throw ApiException.notFound("Plugin route");
        }
        Caller caller = middleware.contains("admin") ? Callers.requireAdmin(security)
                : middleware.contains("agent") || middleware.stream().anyMatch(m -> m.startsWith("group:"))
                        ? Callers.requireAgent(security) : Callers.require(security);
        for (String m : middleware) {
            if (m.startsWith("group:") && !permissions.hasInGroupNamed(caller.id(), m.substring(6), Permissions.RO)) {
                throw ApiException.notFound("Plugin route");
            }
        }
        return caller;
    }

    /** Template segments {@code {name}} match one path segment each. */
    static boolean matches(String template, String path, Map<String, String> params) {
        String[] t = template.split("/");
        String[] p = path.split("/");
        if (t.length != p.length) {
            return false;
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                found.put(t[i].substring(1, t[i].length() - 1), p[i]);
            } else if (!t[i].equals(p[i])) {
                return false;
            }
        }
        params.clear();
        params.putAll(found);
        return true;
    }
}
