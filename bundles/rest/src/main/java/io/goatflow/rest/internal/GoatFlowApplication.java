package io.goatflow.rest.internal;

import io.goatflow.rest.RestApi;
import javax.ws.rs.core.Application;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/** The one JAX-RS application of GoatFlow; every area's resources and extensions select it by name. */
@Component(service = Application.class)
@JaxrsName(RestApi.APPLICATION_NAME)
@JaxrsApplicationBase(RestApi.BASE_PATH)
public final class GoatFlowApplication extends Application {
}
