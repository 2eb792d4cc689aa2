package io.goatflow.system.internal;

import io.goatflow.persistence.Database;
import io.goatflow.plugin.api.GoatPlugin;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/v1/version}: product version, the plugin API version plugins compile against (the exported
 * package version, which is what their Import-Package ranges match), and the database kind.
 */
@Component(service = VersionResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/version")
@Produces(MediaType.APPLICATION_JSON)
public final class VersionResource {
    private final String productVersion;
    private final String pluginApiVersion;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Database database;

    @Activate
    public VersionResource(BundleContext context) {
        this.productVersion = context.getBundle().getHeaders("").get("GoatFlow-Product-Version");
        this.pluginApiVersion = exportedVersion(GoatPlugin.class);
    }

    @GET
    public Envelope version() {
        Database current = database;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("product", "GoatFlow");
        data.put("version", productVersion);
        data.put("plugin_api_version", pluginApiVersion);
        data.put("database", current == null ? null : current.kind().id());
        data.put("java", System.getProperty("java.version"));
        return Envelope.ok(data);
    }

    private static String exportedVersion(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        String pkg = type.getPackageName();
        BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleCapability export : wiring.getCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                if (pkg.equals(export.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE))) {
                    Object version = export.getAttributes().get("version");
                    return version instanceof Version v ? v.toString() : String.valueOf(version);
                }
            }
        }
        return null;
    }
}
