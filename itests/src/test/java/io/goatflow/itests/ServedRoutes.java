package io.goatflow.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.TreeSet;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceMethodInfoDTO;

/** The routes the running JAX-RS whiteboard serves for the goatflow application, as "METHOD /api/path/{param}". */
final class ServedRoutes {
    private ServedRoutes() {
    }

    static TreeSet<String> of(JaxrsServiceRuntime runtime) {
        TreeSet<String> routes = new TreeSet<>();
        ApplicationDTO goatflow = null;
        for (ApplicationDTO application : runtime.getRuntimeDTO().applicationDTOs) {
            if ("goatflow".equals(application.name)) {
                goatflow = application;
            }
        }
        assertNotNull("goatflow application in the whiteboard runtime", goatflow);
        for (ResourceDTO resource : goatflow.resourceDTOs) {
            for (ResourceMethodInfoDTO info : resource.resourceMethods) {
                String path = info.path.startsWith("/") ? info.path : "/" + info.path;
                routes.add(info.method + " /api" + path.replaceAll("\\{([a-zA-Z_]+)[^}]*}", "{$1}"));
            }
        }
        assertTrue("the API serves routes: " + routes, routes.size() >= 3);
        return routes;
    }
}
