package io.goatflow.rest.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.goatflow.rest.RestApi;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/v1/openapi.json}: an OpenAPI 3.0 description generated on each request from the JAX-RS
 * resources registered with the application right now (so a swapped or added bundle shows up at once): paths,
 * methods, path/query/header parameters, request body shapes from the body types (records and their
 * {@code @JsonProperty} names), media types, and the common envelope responses.
 */
@Component(service = OpenApiResource.class, immediate = true)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/openapi.json")
public final class OpenApiResource {
    private final BundleContext context;

    @Activate
    public OpenApiResource(BundleContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> spec() throws InvalidSyntaxException {
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        // by property only: resources are registered under their own class names
        ServiceReference<?>[] found = context.getServiceReferences((String) null,
                "(" + JaxrsWhiteboardConstants.JAX_RS_RESOURCE + "=true)");
        for (ServiceReference<?> ref : found == null ? new ServiceReference<?>[0] : found) {
            Object select = ref.getProperty(JaxrsWhiteboardConstants.JAX_RS_APPLICATION_SELECT);
            if (!RestApi.APPLICATION_SELECT.equals(select)) {
                continue;
            }
            Object resource = context.getService(ref);
            if (resource == null) {
                continue;
            }
            try {
                describe(resource.getClass(), String.valueOf(ref.getBundle().getSymbolicName()), paths);
            } finally {
                context.ungetService(ref);
            }
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("openapi", "3.0.3");
        spec.put("info", Map.of("title", "GoatFlow API", "version", String.valueOf(context.getBundle().getVersion()),
                "description", "Generated from the resources the running GoatFlow serves. Every response uses the"
                        + " envelope {success, data, pagination} or {success: false, error: {code, message}}."));
        spec.put("servers", List.of(Map.of("url", RestApi.BASE_PATH)));
        spec.put("paths", paths);
        spec.put("components", components());
        spec.put("security", List.of(Map.of(), Map.of("bearer", List.of()), Map.of("agentCookie", List.of()),
                Map.of("customerCookie", List.of())));
        return spec;
    }

    private static void describe(Class<?> type, String bundle, Map<String, Map<String, Object>> paths) {
        Path classPath = type.getAnnotation(Path.class);
        String base = classPath == null ? "" : classPath.value();
        for (Method method : type.getMethods()) {
            String verb = httpMethod(method);
            if (verb == null) {
                continue;
            }
            Path methodPath = method.getAnnotation(Path.class);
            String path = normalise(base + (methodPath == null ? "" : "/" + methodPath.value()));
            Map<String, Object> operation = new LinkedHashMap<>();
            String tag = path.split("/").length > 2 ? path.split("/")[2] : "api";
            operation.put("tags", List.of(tag));
            operation.put("operationId", type.getSimpleName().replace("Resource", "") + "_" + method.getName());
            operation.put("x-goatflow-bundle", bundle);
            List<Map<String, Object>> parameters = new ArrayList<>();
            for (Parameter p : method.getParameters()) {
                if (p.isAnnotationPresent(Context.class)) {
                    continue;
                }
                PathParam pathParam = p.getAnnotation(PathParam.class);
                QueryParam queryParam = p.getAnnotation(QueryParam.class);
                HeaderParam headerParam = p.getAnnotation(HeaderParam.class);
                if (pathParam != null) {
                    parameters.add(parameter(pathParam.value(), "path", true, p.getParameterizedType()));
                } else if (queryParam != null) {
                    parameters.add(parameter(queryParam.value(), "query", false, p.getParameterizedType()));
                } else if (headerParam != null) {
                    parameters.add(parameter(headerParam.value(), "header", false, p.getParameterizedType()));
                } else {
                    Map<String, Object> content = new LinkedHashMap<>();
                    for (String mediaType : mediaTypes(method.getAnnotation(Consumes.class),
                            type.getAnnotation(Consumes.class))) {
                        content.put(mediaType, Map.of("schema", p.getType() == java.io.InputStream.class
                                ? Map.of("type", "string", "format", "binary") : schema(p.getParameterizedType(), 0)));
                    }
                    operation.put("requestBody", Map.of("required", true, "content", content));
                }
            }
            if (!parameters.isEmpty()) {
                operation.put("parameters", parameters);
            }
            List<String> produces = mediaTypes(method.getAnnotation(Produces.class), type.getAnnotation(Produces.class));
            Map<String, Object> responses = new LinkedHashMap<>();
            Map<String, Object> okContent = new LinkedHashMap<>();
            for (String mediaType : produces) {
                okContent.put(mediaType, Map.of("schema", mediaType.equals(MediaType.APPLICATION_JSON)
                        ? Map.of("$ref", "#/components/schemas/Envelope") : Map.of("type", "string", "format",
                                "binary")));
            }
            responses.put(verb.equals("post") ? "2XX" : "200", Map.of("description", "Success", "content", okContent));
            for (String status : List.of("400", "401", "404", "409", "413", "429", "503")) {
                responses.put(status, Map.of("$ref", "#/components/responses/Error"));
            }
            operation.put("responses", responses);
            paths.computeIfAbsent(path, k -> new TreeMap<>()).put(verb, operation);
        }
    }

    private static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** {@code v1//tickets/{id: \d+}} becomes {@code /v1/tickets/{id}}. */
    static String normalise(String path) {
        String p = ("/" + path).replaceAll("/+", "/").replaceAll("\\{([a-zA-Z_]+)[^}]*}", "{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static List<String> mediaTypes(Annotation methodLevel, Annotation classLevel) {
        String[] values = methodLevel instanceof Consumes c ? c.value() : methodLevel instanceof Produces p ? p.value()
                : classLevel instanceof Consumes c2 ? c2.value() : classLevel instanceof Produces p2 ? p2.value()
                : new String[] {MediaType.APPLICATION_JSON};
        return List.of(values);
    }

    private static Map<String, Object> parameter(String name, String in, boolean required, Type type) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("in", in);
        p.put("required", required);
        p.put("schema", schema(type, 0));
        return p;
    }

    /** JSON schema of a Java type as Jackson writes and reads it; records become objects. */
    static Map<String, Object> schema(Type type, int depth) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", schema(args[0], depth + 1));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schema(args[1], depth + 1));
            }
            return schema(raw, depth);
        }
        if (!(type instanceof Class<?> c)) {
            return Map.of();
        }
        if (c == String.class || c == char.class || c == Character.class) {
            return Map.of("type", "string");
        }
        if (c == long.class || c == Long.class || c == int.class || c == Integer.class || c == short.class
                || c == Short.class) {
            return Map.of("type", "integer", "format", c == int.class || c == Integer.class ? "int32" : "int64");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return Map.of("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c.isArray()) {
            return Map.of("type", "array", "items", schema(c.getComponentType(), depth + 1));
        }
        if (c.isRecord() && depth < 5) {
            Map<String, Object> properties = new LinkedHashMap<>();
            for (RecordComponent component : c.getRecordComponents()) {
                JsonProperty renamed = component.getAnnotation(JsonProperty.class);
                if (renamed == null && component.getAccessor() != null) {
                    renamed = component.getAccessor().getAnnotation(JsonProperty.class);
                }
                String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
                properties.put(name, schema(component.getGenericType(), depth + 1));
            }
            return Map.of("type", "object", "additionalProperties", false, "properties", properties);
        }
        return Map.of("type", "object");
    }

    private static Map<String, Object> components() {
        Map<String, Object> error = Map.of("type", "object", "properties", Map.of(
                "success", Map.of("type", "boolean", "enum", List.of(false)),
                "error", Map.of("type", "object", "required", List.of("code", "message"), "properties", Map.of(
                        "code", Map.of("type", "string"), "message", Map.of("type", "string")))));
        Map<String, Object> pagination = Map.of("type", "object", "properties", Map.of(
                "page", Map.of("type", "integer"), "per_page", Map.of("type", "integer", "maximum", 100),
                "total", Map.of("type", "integer"), "total_pages", Map.of("type", "integer"),
                "has_next", Map.of("type", "boolean"), "has_prev", Map.of("type", "boolean")));
        Map<String, Object> envelope = Map.of("type", "object", "properties", Map.of(
                "success", Map.of("type", "boolean"), "data", Map.of(),
                "pagination", Map.of("$ref", "#/components/schemas/Pagination")));
        return Map.of(
                "schemas", Map.of("Envelope", envelope, "Error", error, "Pagination", pagination),
                "responses", Map.of("Error", Map.of("description", "Error envelope", "content",
                        Map.of(MediaType.APPLICATION_JSON, Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))))),
                "securitySchemes", Map.of(
                        "bearer", Map.of("type", "http", "scheme", "bearer"),
                        "agentCookie", Map.of("type", "apiKey", "in", "cookie", "name", "GOATFLOW_SESSION"),
                        "customerCookie", Map.of("type", "apiKey", "in", "cookie", "name",
                                "GOATFLOW_CUSTOMER_SESSION")));
    }

}
