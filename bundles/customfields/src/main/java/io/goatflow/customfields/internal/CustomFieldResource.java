package io.goatflow.customfields.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.customfields.CustomFieldService;
import io.goatflow.customfields.FieldDefinition;
import io.goatflow.customfields.FieldFilter;
import io.goatflow.customfields.FieldInput;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.util.ArrayList;
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
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/v1/custom-fields}: definitions (agents read, admins write), values of one object (the owning area's
 * rules apply) and queries. The entity type is a fixed path segment after {@code values}, never a first segment.
 */
@Component(service = CustomFieldResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/custom-fields")
@Produces(MediaType.APPLICATION_JSON)
public final class CustomFieldResource {
    private final CustomFieldService fields;

    /** Body of PUT values. */
    public record ValuesBody(Map<String, JsonNode> values) {
    }

    /** Body of POST query. */
    public record QueryBody(@JsonProperty("entity_type") String entityType, List<FieldFilter> filters,
            Integer limit) {
    }

    @Activate
    public CustomFieldResource(@Reference CustomFieldService fields) {
        this.fields = fields;
    }

    @GET
    @Path("definitions")
    public Envelope definitions(@Context SecurityContext security, @QueryParam("entity_type") String entityType,
            @QueryParam("include_hidden") String includeHidden) {
        Caller caller = Callers.require(security);
        if (entityType != null && !CustomFieldService.ENTITY_TYPES.contains(entityType)) {
            throw ApiException.fieldErrors(Map.of("entity_type", "must be one of "
                    + String.join(", ", CustomFieldService.ENTITY_TYPES)));
        }
        boolean hidden = "true".equals(includeHidden);
        if (hidden && !(caller.isAgent() && caller.admin())) {
            throw ApiException.notFound("Resource");
        }
        List<FieldDefinition> list = fields.definitions(entityType, hidden).stream()
                .filter(f -> caller.isAgent() || f.customerVisible()).toList();
        return Envelope.ok(list);
    }

    @GET
    @Path("definitions/{id}")
    public Envelope definition(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = Callers.require(security);
        FieldDefinition f = fields.definition(id)
                .filter(d -> (d.valid() || (caller.isAgent() && caller.admin()))
                        && (caller.isAgent() || d.customerVisible()))
                .orElseThrow(() -> ApiException.notFound("Custom field"));
        return Envelope.ok(f);
    }

    @POST
    @Path("definitions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, FieldInput input) {
        Callers.requireAdmin(security);
        return Response.status(201).entity(Envelope.ok(fields.create(input))).build();
    }

    @PUT
    @Path("definitions/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope update(@Context SecurityContext security, @PathParam("id") long id, FieldInput input) {
        Callers.requireAdmin(security);
        return Envelope.ok(fields.update(id, input));
    }

    @DELETE
    @Path("definitions/{id}")
    public Envelope delete(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        fields.delete(id);
        return Envelope.ok(Map.of("id", id, "deleted", true));
    }

    @GET
    @Path("values/{entity_type}/{id}")
    public Envelope values(@Context SecurityContext security, @PathParam("entity_type") String entityType,
            @PathParam("id") long id) {
        Caller caller = Callers.require(security);
        return Envelope.ok(shape(entityType, id, fields.values(caller, entityType, id)));
    }

    /** Values of a page of objects ({@code ids=1,2,3}); objects the caller may not see are left out. */
    @GET
    @Path("values/{entity_type}")
    public Envelope bulkValues(@Context SecurityContext security, @PathParam("entity_type") String entityType,
            @QueryParam("ids") String ids) {
        Caller caller = Callers.require(security);
        List<Long> objectIds = new ArrayList<>();
        for (String part : ids == null ? new String[0] : ids.split(",", -1)) {
            if (part.isBlank()) {
                continue;
            }
            try {
                objectIds.add(Long.valueOf(part.trim()));
            } catch (NumberFormatException e) {
                throw ApiException.fieldErrors(Map.of("ids", "must be object ids separated by commas"));
            }
            if (objectIds.size() > DatabaseCustomFieldService.MAX_BULK_IDS) {
                throw ApiException.fieldErrors(Map.of("ids", "give at most " + DatabaseCustomFieldService.MAX_BULK_IDS
                        + " ids"));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        fields.values(caller, entityType, objectIds).forEach((id, values) -> out.add(shape(entityType, id, values)));
        return Envelope.ok(out);
    }

    @PUT
    @Path("values/{entity_type}/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope setValues(@Context SecurityContext security, @PathParam("entity_type") String entityType,
            @PathParam("id") long id, ValuesBody body) {
        // customers read the fields shown to them but change none: for them this route does not exist
        Caller caller = Callers.requireAgent(security);
        if (body == null) {
            throw ApiException.fieldErrors(Map.of("values", "is required"));
        }
        return Envelope.ok(shape(entityType, id, fields.setValues(caller, entityType, id, body.values())));
    }

    @POST
    @Path("query")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope query(@Context SecurityContext security, QueryBody body) {
        Caller caller = Callers.requireAgent(security);
        if (body == null || body.entityType() == null) {
            throw ApiException.fieldErrors(Map.of("entity_type", "is required"));
        }
        if (!CustomFieldService.ENTITY_TYPES.contains(body.entityType())) {
            throw ApiException.fieldErrors(Map.of("entity_type", "must be one of "
                    + String.join(", ", CustomFieldService.ENTITY_TYPES)));
        }
        return Envelope.ok(fields.query(caller, body.entityType(), body.filters(),
                body.limit() == null ? 100 : body.limit()));
    }


    private static Map<String, Object> shape(String entityType, long id, Map<String, Object> values) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("entity_type", entityType);
        data.put("object_id", id);
        data.put("values", values);
        return data;
    }
}
