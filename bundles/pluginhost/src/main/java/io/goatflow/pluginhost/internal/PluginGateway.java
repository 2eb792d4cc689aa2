package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.auth.Permissions;
import io.goatflow.plugin.api.PluginCallException;
import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.rest.ApiException;
import io.goatflow.organisations.Organisations;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Envelope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The one way an HTTP request becomes a plugin call, for plugin routes and widgets alike: the host stamps who is
 * calling ({@code _user_id}, {@code _user_login}, {@code _user_kind}, {@code _is_admin}, for agents
 * {@code _accessible_group_ids}; {@code _org_id} unless the manifest opts out) and in which language
 * ({@code _lang}), and turns the plugin's answer into the API's
 * envelope. Errors carry the code {@code <plugin>:<code>}; a code the manifest declares in {@code error_codes} gets
 * the declared HTTP status (4xx; a declared 5xx is answered 502, because the plugin failed, not GoatFlow) and the
 * declared message, translated.
 */
@Component(service = PluginGateway.class)
public final class PluginGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PluginHost host;
    private final Permissions permissions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Organisations organisations;

    @Activate
    public PluginGateway(@Reference PluginHost host, @Reference Permissions permissions) {
        this.host = host;
        this.permissions = permissions;
    }

    /**
     * Arguments every HTTP-triggered call starts from: the caller, the language ({@code ?lang=}, else
     * Accept-Language) and the query parameters ({@code _query}; repeated ones as lists).
     */
    ObjectNode requestArgs(Caller caller, HttpHeaders headers, UriInfo uri) {
        ObjectNode args = JSON.createObjectNode();
        args.put("_lang", PluginTranslations.language(uri.getQueryParameters().getFirst("lang"),
                headers.getAcceptableLanguages()));
        Map<String, Object> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> query.put(k, v.size() == 1 ? v.get(0) : v));
        args.set("_query", JSON.valueToTree(query));
        if (caller != null) {
            args.put("_user_id", caller.id());
            args.put("_user_login", caller.login());
            args.put("_user_kind", caller.isCustomer() ? "customer" : "agent");
            args.put("_is_admin", caller.admin());
            if (!caller.isCustomer()) {
                // what the caller may read, so plugins can filter their answers the way core routes do
                args.set("_accessible_group_ids", JSON.valueToTree(
                        new TreeSet<>(permissions.groupsWith(caller.id(), Permissions.RO))));
            }
        }
        return args;
    }

    /**
     * Calls {@code function} of the plugin with {@link #requestArgs} (and more) on behalf of the caller's
     * organisation and answers the HTTP response. A plugin the caller's organisation may not use does not exist for
     * the caller (404).
     */
    Response call(PluginHost.Entry entry, String function, ObjectNode args, Caller caller) {
        String plugin = entry.name;
        if (!mayUse(caller, plugin)) {
            throw ApiException.notFound("Plugin route");
        }
        long org = caller == null ? Caller.NO_ORG : caller.orgId();
        if (entry.manifest == null || !entry.manifest.skipsOrgInjection()) {
            args.put("_org_id", org);
        }
        String language = args.path("_lang").asText(PluginTranslations.DEFAULT_LANGUAGE);
        String result;
        try {
            result = host.callPlugin(plugin, function, args.toString(),
                    new HostCallDispatcher.CallScope(org, caller != null && caller.admin()));
        } catch (PluginCallException e) {
            Optional<PluginManifest.ErrorCode> declared = declared(entry.manifest, e.code());
            int status = declared.map(d -> status(d.httpStatus()))
                    .orElse("timeout".equals(e.code()) ? 504 : "busy".equals(e.code()) ? 503 : 502);
            String message = declared.map(d -> PluginTranslations.text(entry.manifest, d.message(), language))
                    .filter(m -> m != null && !m.isBlank()).orElse(e.getMessage());
            return error(status, plugin + ":" + e.code(), message);
        }
        JsonNode answer;
        try {
            answer = result == null || result.isBlank() ? JSON.nullNode() : JSON.readTree(result);
        } catch (JsonProcessingException e) {
            throw new ApiException(502, "PLUGIN_BAD_RESULT", "The plugin answered something that is not JSON");
        }
        if (answer.isObject() && answer.has("error")) {
            JsonNode error = answer.path("error");
            String code = answer.path("code").asText(error.path("code").asText(error.isTextual() ? "error" : ""));
            Optional<PluginManifest.ErrorCode> declared = declared(entry.manifest, code);
            if (answer.path("status").isInt() || declared.isPresent()) {
                int status = answer.path("status").isInt() ? status(answer.path("status").asInt())
                        : status(declared.get().httpStatus());
                String message = error.isTextual() ? error.asText() : error.path("message").asText("");
                if (message.isBlank()) {
                    message = declared.map(d -> PluginTranslations.text(entry.manifest, d.message(), language))
                            .orElse("The plugin reported an error");
                }
                return error(status, plugin + ":" + (code.isEmpty() ? "error" : code), message);
            }
        }
        return Response.ok(Envelope.ok(answer)).build();
    }

    /**
     * Whether the caller's organisation may use the plugin. While the organisations area is away, callers acting
     * in an organisation are refused with 503 rather than let through unchecked.
     */
    boolean mayUse(Caller caller, String plugin) {
        if (caller == null || caller.orgId() == Caller.NO_ORG) {
            return true;
        }
        Organisations current = organisations;
        if (current == null) {
            throw ApiException.unavailable("AREA_UNAVAILABLE", "Organisations are restarting; try again shortly");
        }
        return current.mayUsePlugin(caller, plugin);
    }

    private static Optional<PluginManifest.ErrorCode> declared(PluginManifest manifest, String code) {
        return manifest == null || code == null ? Optional.empty()
                : manifest.errorCodes().stream().filter(d -> code.equals(d.code())).findFirst();
    }

    /** 4xx as the plugin says; anything else means the plugin failed, which is a gateway error. */
    private static int status(Integer status) {
        if (status == null) {
            return 502;
        }
        return status >= 400 && status <= 499 || status == 503 || status == 504 ? status : 502;
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Envelope.error(code, message))
                .build();
    }
}
