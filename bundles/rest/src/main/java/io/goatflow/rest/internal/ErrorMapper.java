package io.goatflow.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.net.ConnectException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one exception mapper: every failure leaves as the error envelope with a 4xx or 5xx status and a
 * message fit for the caller, never a stack trace. 500s carry the request id that the log line repeats.
 */
// Immediate: the whiteboard ungets extensions while it rebuilds the application, and a delayed component would be
// disposed (its route tracker closed) while requests still run through the previous application instance.
@Component(service = ExceptionMapper.class, configurationPid = "io.goatflow.rest", immediate = true)
@JaxrsExtension
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private final AreaRoutes areas;
    private final int retryAfterSeconds;

    @Context
    private UriInfo uriInfo;
    @Context
    private ResourceInfo resourceInfo;
    /** CXF keeps ContainerRequestContext properties as attributes of the servlet request. */
    @Context
    private javax.servlet.http.HttpServletRequest request;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile JaxrsServiceRuntime runtime;

    @Activate
    public ErrorMapper(BundleContext context, RestConfig config) {
        this.areas = new AreaRoutes(context, () -> runtime);
        this.retryAfterSeconds = Math.max(1, config.retry_after_seconds());
    }

    @Deactivate
    void deactivate() {
        areas.close();
    }

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof ApiException api) {
            Integer retryAfter = api.retryAfterSeconds() == null && api.status() == 503 ? Integer.valueOf(retryAfterSeconds)
                    : api.retryAfterSeconds();
            if (!api.fields().isEmpty()) {
                return Response.status(api.status()).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Envelope.error(api.code(), api.getMessage(), api.fields())).build();
            }
            return respond(api.status(), api.code(), api.getMessage(), retryAfter);
        }
        Optional<BodyLimitFilter.BodyTooLargeException> tooLarge = cause(failure,
                BodyLimitFilter.BodyTooLargeException.class);
        if (tooLarge.isPresent()) {
            return respond(413, "PAYLOAD_TOO_LARGE", tooLarge.get().getMessage(), null);
        }
        Optional<JsonProcessingException> json = cause(failure, JsonProcessingException.class);
        if (json.isPresent()) {
            return respond(400, "INVALID_JSON", describe(json.get()), null);
        }
        if (failure instanceof WebApplicationException web) {
            return fromStatus(web);
        }
        if (databaseUnreachable(failure)) {
            LOG.warn("Database unreachable while serving {}: {}", path(), failure.getMessage());
            return respond(503, "DATABASE_UNAVAILABLE", "The database is not reachable; try again shortly",
                    retryAfterSeconds);
        }
        Optional<java.sql.SQLException> sql = cause(failure, java.sql.SQLException.class);
        if (sql.isPresent() && sql.get().getSQLState() != null && sql.get().getSQLState().startsWith("23")) {
            // a constraint the code did not check first (a race, or a missing check): the caller's data conflicts
            LOG.warn("Constraint violation serving {} (request {}): {}", path(), requestId(), sql.get().getMessage());
            return respond(409, "CONFLICT", "The change conflicts with existing data", null);
        }
        if (resourceBundleStopping()) {
            return respond(503, "SERVICE_RESTARTING", "This part of GoatFlow is restarting; try again shortly",
                    retryAfterSeconds);
        }
        String id = requestId();
        LOG.error("Unhandled failure serving {} (request {})", path(), id, failure);
        return respond(500, "INTERNAL_ERROR", "Internal error; reference " + id, null);
    }

    private Response fromStatus(WebApplicationException web) {
        int status = web.getResponse() == null ? 500 : web.getResponse().getStatus();
        switch (status) {
            case 404:
                String path = path();
                if (path != null && areas.unavailableAreaFor(path).isPresent()) {
                    return respond(503, "SERVICE_RESTARTING",
                            "This part of GoatFlow is restarting; try again shortly", retryAfterSeconds);
                }
                return respond(404, "NOT_FOUND", "No such endpoint", null);
            case 405:
                Response.ResponseBuilder notAllowed = builder(405, "METHOD_NOT_ALLOWED",
                        "Method not allowed on this endpoint", null);
                List<Object> allow = web.getResponse().getHeaders().get("Allow");
                if (allow != null && !allow.isEmpty()) {
                    notAllowed.header("Allow", allow.stream().map(String::valueOf).distinct()
                            .collect(Collectors.joining(", ")));
                }
                return notAllowed.build();
            case 406:
                return respond(406, "NOT_ACCEPTABLE", "This endpoint answers application/json", null);
            case 415:
                return respond(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json", null);
            case 400:
                return respond(400, "BAD_REQUEST", "Malformed request", null);
            default:
                if (status >= 400 && status < 500) {
                    return respond(status, "CLIENT_ERROR", "Request refused", null);
                }
                String id = requestId();
                LOG.error("Failure serving {} (request {})", path(), id, web);
                return respond(500, "INTERNAL_ERROR", "Internal error; reference " + id, null);
        }
    }

    /** Where the JSON is wrong, without echoing the input or naming Java types. */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            MismatchedInputException mismatch = (MismatchedInputException) e;
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return field.isEmpty() ? "Request body has the wrong shape" : "Field '" + field + "' has the wrong type";
        }
        if (e.getLocation() != null) {
            return "Malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
        }
        return "Malformed JSON";
    }

    private boolean resourceBundleStopping() {
        try {
            Class<?> resource = resourceInfo == null ? null : resourceInfo.getResourceClass();
            Bundle bundle = resource == null ? null : FrameworkUtil.getBundle(resource);
            return bundle != null && bundle.getState() != Bundle.ACTIVE;
        } catch (RuntimeException noRequestContext) {
            return false;
        }
    }

    private static boolean databaseUnreachable(Throwable failure) {
        if (cause(failure, SQLTransientConnectionException.class).isPresent()
                || cause(failure, SQLNonTransientConnectionException.class).isPresent()
                || cause(failure, ConnectException.class).isPresent()) {
            return true;
        }
        // a pooled connection the server dropped mid-request: drivers say so only in the SQLState (PostgreSQL's
        // PSQLException is a plain SQLException): class 08 is a broken connection, 57P0x a server shutting down
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private String path() {
        try {
            return uriInfo == null ? null : "/" + stripLeadingSlash(uriInfo.getBaseUri().getPath())
                    + stripLeadingSlash(uriInfo.getPath());
        } catch (RuntimeException noRequestContext) {
            return null;
        }
    }

    private static String stripLeadingSlash(String s) {
        return s.startsWith("/") ? s.substring(1) : s;
    }

    private String requestId() {
        try {
            Object id = request == null ? null : request.getAttribute(RequestIdFilter.PROPERTY);
            return id == null ? "unknown" : id.toString();
        } catch (RuntimeException noRequestContext) {
            return "unknown";
        }
    }

    private static Response respond(int status, String code, String message, Integer retryAfter) {
        return builder(status, code, message, retryAfter).build();
    }

    private static Response.ResponseBuilder builder(int status, String code, String message, Integer retryAfter) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Envelope.error(code, message));
        if (retryAfter != null) {
            builder.header("Retry-After", retryAfter);
        }
        return builder;
    }
}
