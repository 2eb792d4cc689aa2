package io.goatflow.securesettings.internal;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
import io.goatflow.securesettings.RotationResult;
import io.goatflow.securesettings.SecureSettingInfo;
import io.goatflow.securesettings.SecureSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Admin API for secure settings: list (masked), set, delete, rotate. Values go in and never come out; answers carry
 * the masked form only. Everyone but admins gets 404. The service is optional here, so that while the keys are
 * misconfigured (the service is not registered) admins get a 503 that says so instead of a bare 404.
 */
@Component(service = SecureSettingsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/secure-config")
@Produces(MediaType.APPLICATION_JSON)
public final class SecureSettingsResource {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecureSettings settings;

    /** Body of PUT: {@code {"value": "<secret>"}}. */
    public record ValueChange(String value) {
        @Override
        public String toString() {
            return "ValueChange[value=" + (value == null ? "null" : "(hidden)") + "]";
        }
    }

    @GET
    public Envelope list(@Context SecurityContext security, @QueryParam("namespace") String namespace,
            @QueryParam("org_id") String orgIdParam, @QueryParam("page") String pageParam,
            @QueryParam("per_page") String perPageParam) {
        Callers.requireAdmin(security);
        SecureSettings service = available();
        Map<String, String> problems = new LinkedHashMap<>();
        String namespaceFilter = namespace == null || namespace.isBlank() ? null : namespace.trim();
        if (namespaceFilter != null && !SettingRules.validNamespace(namespaceFilter)) {
            problems.put("namespace", "must be " + SettingRules.NAMESPACE_RULE);
        }
        Long orgFilter = orgIdParam == null || orgIdParam.isBlank() ? null : orgId(orgIdParam, problems);
        if (!problems.isEmpty()) {
            throw ApiException.fieldErrors(problems);
        }
        PageRequest paging = PageRequest.of(pageParam, perPageParam, 50);
        // decrypting for the masks is per row anyway, and an installation has few secrets: page in memory
        List<SecureSettingInfo> all = service.list(namespaceFilter, orgFilter);
        int from = (int) Math.min(all.size(), paging.offset());
        int to = Math.min(all.size(), from + paging.perPage());
        List<Map<String, Object>> items = all.subList(from, to).stream().map(SecureSettingsResource::view).toList();
        return Envelope.page(items, paging.pagination(all.size()));
    }

    @PUT
    @Path("{namespace}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope set(@Context SecurityContext security, @PathParam("namespace") String namespace,
            @PathParam("name") String name, @QueryParam("org_id") String orgIdParam, ValueChange change) {
        Caller admin = Callers.requireAdmin(security);
        SecureSettings service = available();
        Map<String, String> problems = new LinkedHashMap<>();
        long orgId = orgIdParam == null || orgIdParam.isBlank() ? SecureSettings.GLOBAL_ORG
                : orgId(orgIdParam, problems);
        String value = change == null ? null : change.value();
        SettingRules.problems(namespace, name, Math.max(orgId, 0), value, true).forEach(problems::putIfAbsent);
        if (!problems.isEmpty()) {
            throw ApiException.fieldErrors(problems);
        }
        service.set(namespace, name, orgId, value, admin.id());
        return Envelope.ok(view(service.info(namespace, name, orgId)
                .orElseThrow(() -> ApiException.notFound("Secure setting"))));
    }

    @DELETE
    @Path("{namespace}/{name}")
    public Envelope delete(@Context SecurityContext security, @PathParam("namespace") String namespace,
            @PathParam("name") String name, @QueryParam("org_id") String orgIdParam) {
        Callers.requireAdmin(security);
        SecureSettings service = available();
        Map<String, String> problems = new LinkedHashMap<>();
        long orgId = orgIdParam == null || orgIdParam.isBlank() ? SecureSettings.GLOBAL_ORG
                : orgId(orgIdParam, problems);
        if (!problems.isEmpty()) {
            throw ApiException.fieldErrors(problems);
        }
        // an identity that breaks the rules cannot have been stored
        if (!SettingRules.validNamespace(namespace) || !SettingRules.validName(name)
                || !service.delete(namespace, name, orgId)) {
            throw ApiException.notFound("Secure setting");
        }
        Map<String, Object> deleted = new LinkedHashMap<>();
        deleted.put("deleted", true);
        deleted.put("org_id", orgId);
        deleted.put("namespace", namespace);
        deleted.put("name", name);
        return Envelope.ok(deleted);
    }

    @POST
    @Path("rotate")
    public Envelope rotate(@Context SecurityContext security) {
        Callers.requireAdmin(security);
        RotationResult result = available().rotate();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("rotated", result.rotated());
        view.put("unreadable", result.unreadable());
        view.put("skipped", result.skipped());
        view.put("current_key_id", result.currentKeyId());
        return Envelope.ok(view);
    }

    private SecureSettings available() {
        SecureSettings current = settings;
        if (current == null) {
            throw ApiException.unavailable("SECURE_SETTINGS_UNAVAILABLE",
                    "Secure settings are not available (the encryption key is missing or invalid; see the log)");
        }
        return current;
    }

    private static long orgId(String text, Map<String, String> problems) {
        try {
            long id = Long.parseLong(text.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.put("org_id", "must be " + SettingRules.ORG_RULE);
        return -1;
    }

    static Map<String, Object> view(SecureSettingInfo info) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("org_id", info.orgId());
        view.put("namespace", info.namespace());
        view.put("name", info.name());
        view.put("masked_value", info.maskedValue());
        view.put("key_id", info.keyId());
        view.put("readable", info.readable());
        view.put("changed_at", info.changedAt());
        view.put("changed_by", info.changedBy());
        return view;
    }
}
