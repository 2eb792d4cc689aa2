package io.goatflow.auth.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
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
 * Personal access tokens: one's own under {@code /api/v1/tokens} (agents and customers; creating and revoking needs
 * an interactive session), and an administrator's view of another account's tokens under
 * {@code /api/v1/users/{id}/tokens} and {@code /api/v1/customer-users/{id}/tokens}, with revocations in the audit
 * log.
 */
@Component(service = ApiTokenResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiTokenResource {
    private final ApiTokens tokens;
    private final Database database;

    public record TokenRequest(String name, List<String> scopes, Integer expires_in_days) {
    }

    @Activate
    public ApiTokenResource(@Reference ApiTokens tokens, @Reference Database database) {
        this.tokens = tokens;
        this.database = database;
    }

    @GET
    @Path("tokens")
    public Envelope list(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(tokens.list(caller.kind(), caller.id()));
    }

    @GET
    @Path("tokens/scopes")
    public Envelope scopes(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(ApiTokens.scopesFor(caller.kind(), caller.admin()));
    }

    /** Creates a token; the answer holds it in {@code token}, the one time it is ever shown. */
    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, TokenRequest request) {
        Caller caller = Callers.requireInteractive(security);
        if (request == null) {
            throw ApiException.validation("A token body is required");
        }
        ApiTokens.Created created = tokens.create(caller.kind(), caller.id(), caller.admin(), caller.id(),
                request.name(), request.scopes(), request.expires_in_days());
        Map<String, Object> out = new LinkedHashMap<>(created.info());
        out.put("token", created.token());
        return Response.status(201).entity(Envelope.ok(out)).build();
    }

    @DELETE
    @Path("tokens/{id}")
    public Envelope revoke(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = Callers.requireInteractive(security);
        return Envelope.ok(tokens.revoke(caller.kind(), caller.id(), id));
    }

    @GET
    @Path("users/{id}/tokens")
    public Envelope agentTokens(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        requireAccount(Caller.Kind.AGENT, id);
        return Envelope.ok(tokens.list(Caller.Kind.AGENT, id));
    }

    @DELETE
    @Path("users/{id}/tokens/{tokenId}")
    public Envelope revokeAgentToken(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("tokenId") long tokenId, @Context HttpServletRequest http) {
        return revokeAs(Callers.requireAdmin(security), Caller.Kind.AGENT, id, tokenId, http);
    }

    @GET
    @Path("customer-users/{id}/tokens")
    public Envelope customerTokens(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        requireAccount(Caller.Kind.CUSTOMER, id);
        return Envelope.ok(tokens.list(Caller.Kind.CUSTOMER, id));
    }

    @DELETE
    @Path("customer-users/{id}/tokens/{tokenId}")
    public Envelope revokeCustomerToken(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("tokenId") long tokenId, @Context HttpServletRequest http) {
        return revokeAs(Callers.requireAdmin(security), Caller.Kind.CUSTOMER, id, tokenId, http);
    }

    private Envelope revokeAs(Caller admin, Caller.Kind kind, long userId, long tokenId, HttpServletRequest http) {
        return Envelope.ok(database.inTransaction(c -> {
            Map<String, Object> token = tokens.revoke(c, kind, userId, tokenId);
            AuditLog.record(c, admin.id(), "api_token.revoked", kind, userId, "token " + tokenId + " ("
                    + token.get("prefix") + "…)", AuthResource.clientIp(http));
            return token;
        }));
    }

    private void requireAccount(Caller.Kind kind, long id) {
        String table = kind == Caller.Kind.AGENT ? "users" : "customer_user";
        database.inTransaction(c -> {
            if (Jdbc.rows(c, "SELECT id FROM " + table + " WHERE id = ?", Jdbc.params(id)).isEmpty()) {
                throw ApiException.notFound(kind == Caller.Kind.AGENT ? "User" : "Customer user");
            }
            return null;
        });
    }
}
