package io.goatflow.rest.internal;

import io.goatflow.rest.RestApi;
import java.util.UUID;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * Gives every request an id, echoed as {@code X-Request-Id} and quoted in 500 responses, so a user's report can be
 * matched to the log line.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class}, immediate = true)
@JaxrsExtension
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@PreMatching
public final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String PROPERTY = "goatflow.request.id";
    static final String HEADER = "X-Request-Id";

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(PROPERTY, UUID.randomUUID().toString());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id == null) {
            // another pre-matching filter aborted the request before this one ran
            id = UUID.randomUUID().toString();
            request.setProperty(PROPERTY, id);
        }
        response.getHeaders().putSingle(HEADER, id);
        response.getHeaders().putSingle("Cache-Control", "no-store");
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
    }
}
