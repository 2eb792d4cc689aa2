package io.goatflow.tickets.internal;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/v1/search/tickets?q=…}: full-text search over ticket titles and article texts through the word
 * index, with the filters, sorting and paging of the ticket list (it is the same query).
 */
@Component(service = SearchResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/search")
@Produces(MediaType.APPLICATION_JSON)
public final class SearchResource {
    private final TicketResource tickets;

    @Activate
    public SearchResource(@Reference TicketResource tickets) {
        this.tickets = tickets;
    }

    @GET
    @Path("tickets")
    public Envelope tickets(@Context SecurityContext security, @QueryParam("q") String q,
            @QueryParam("status") String status, @QueryParam("queue_id") String queueId,
            @QueryParam("sort") String sort, @QueryParam("order") String order, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage, @QueryParam("archived") String archived,
            @Context javax.ws.rs.core.UriInfo uri) {
        if (q == null || q.isBlank()) {
            throw ApiException.validation("q is required");
        }
        return tickets.list(Callers.require(security), status, queueId, null, null, null, null, null, null, q, sort,
                order, archived, page, perPage, null, null, TicketResource.extensionFilters(uri));
    }
}
