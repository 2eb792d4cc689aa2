package io.goatflow.rest.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.goatflow.rest.RestApi;
import javax.ws.rs.ext.ContextResolver;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * How the API reads and writes JSON: ISO-8601 timestamps, unknown fields refused (a typo in a field name is an
 * error the caller should see, not a silently ignored value), trailing garbage after the document refused.
 */
@Component(service = ContextResolver.class, immediate = true)
@JaxrsExtension
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
public final class JsonMapperProvider implements ContextResolver<ObjectMapper> {
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }
}
