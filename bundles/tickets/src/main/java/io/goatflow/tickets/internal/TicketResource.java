package io.goatflow.tickets.internal;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
import io.goatflow.tickets.ArticleChanges;
import io.goatflow.tickets.AttachmentContent;
import io.goatflow.tickets.NewArticle;
import io.goatflow.tickets.NewTicket;
import io.goatflow.tickets.TicketChanges;
import io.goatflow.tickets.TicketPage;
import io.goatflow.tickets.TicketQuery;
import io.goatflow.tickets.TicketService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/v1/tickets}: tickets, their articles, attachments and history, for agents and customers (the
 * service decides what each may see and do).
 */
@Component(service = TicketResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/tickets")
@Produces(MediaType.APPLICATION_JSON)
public final class TicketResource {
    private final TicketService tickets;

    @Activate
    public TicketResource(@Reference TicketService tickets) {
        this.tickets = tickets;
    }

    @GET
    public Envelope list(@Context SecurityContext security, @QueryParam("status") String status,
            @QueryParam("queue_id") String queueId, @QueryParam("priority_id") String priorityId,
            @QueryParam("state_id") String stateId, @QueryParam("type_id") String typeId,
            @QueryParam("customer_user_id") String customerUserId, @QueryParam("customer_id") String customerId,
            @QueryParam("assigned_user_id") String assignedUserId, @QueryParam("search") String search,
            @QueryParam("sort") String sort, @QueryParam("order") String order,
            @QueryParam("archived") String archived, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset, @Context UriInfo uri) {
        Caller caller = Callers.require(security);
        return list(caller, status, queueId, priorityId, stateId, typeId, customerUserId, customerId, assignedUserId,
                search, sort, order, archived, page, perPage, limit, offset, extensionFilters(uri));
    }

    /** The dotted query parameters ({@code cf.<field>[.<op>]}), which other areas' list filters answer. */
    static Map<String, List<String>> extensionFilters(UriInfo uri) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (uri != null) {
            uri.getQueryParameters().forEach((name, values) -> {
                if (name.indexOf('.') >= 0) {
                    if (out.size() >= 20) {
                        throw ApiException.validation("at most 20 filter parameters");
                    }
                    out.put(name, List.copyOf(values));
                }
            });
        }
        return out;
    }

    /** Shared by the ticket list and the search route. */
    Envelope list(Caller caller, String status, String queueId, String priorityId, String stateId, String typeId,
            String customerUserId, String customerId, String assignedUserId, String search, String sort, String order,
            String archived, String page, String perPage, String limit, String offset,
            Map<String, List<String>> extensionFilters) {
        PageRequest paging = PageRequest.of(page, perPage, limit, offset, 25);
        boolean ascending;
        if (order == null || order.isBlank() || order.equalsIgnoreCase("desc")) {
            ascending = false;
        } else if (order.equalsIgnoreCase("asc")) {
            ascending = true;
        } else {
            throw ApiException.validation("order must be asc or desc");
        }
        if (search != null && search.length() > 500) {
            throw ApiException.validation("search is longer than 500 characters");
        }
        TicketQuery query = new TicketQuery(status, id("queue_id", queueId), id("priority_id", priorityId),
                id("state_id", stateId), id("type_id", typeId), customerUserId, customerId,
                id("assigned_user_id", assignedUserId), search, sort == null || sort.isBlank() ? "created" : sort,
                ascending, flag("archived", archived), paging.page(), paging.perPage(), extensionFilters);
        TicketPage result = tickets.list(caller, query);
        return Envelope.page(result.tickets(), paging.pagination(result.total()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, NewTicket ticket) {
        Caller caller = Callers.require(security);
        return Response.status(201).entity(Envelope.ok(tickets.create(caller, ticket))).build();
    }

    @GET
    @Path("{id}")
    public Envelope get(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = Callers.require(security);
        return Envelope.ok(tickets.get(caller, id).orElseThrow(() -> ApiException.notFound("Ticket")));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope update(@Context SecurityContext security, @PathParam("id") long id, TicketChanges changes) {
        return Envelope.ok(tickets.update(Callers.require(security), id, changes));
    }

    @DELETE
    @Path("{id}")
    public Envelope archive(@Context SecurityContext security, @PathParam("id") long id) {
        tickets.archive(Callers.require(security), id);
        return Envelope.ok(Map.of("id", id, "archived", true));
    }

    @POST
    @Path("{id}/reopen")
    public Envelope reopen(@Context SecurityContext security, @PathParam("id") long id) {
        return Envelope.ok(tickets.reopen(Callers.require(security), id));
    }

    @GET
    @Path("{id}/history")
    public Envelope history(@Context SecurityContext security, @PathParam("id") long id) {
        return Envelope.ok(tickets.history(Callers.require(security), id));
    }

    /** Who has the ticket open in the console (agents; every instance). */
    @GET
    @Path("{id}/presence")
    public Envelope viewers(@Context SecurityContext security, @PathParam("id") long id) {
        return Envelope.ok(tickets.viewers(Callers.require(security), id, false));
    }

    /** The caller has the ticket open now; answers the viewers including the caller. */
    @PUT
    @Path("{id}/presence")
    public Envelope here(@Context SecurityContext security, @PathParam("id") long id) {
        return Envelope.ok(tickets.viewers(Callers.require(security), id, true));
    }

    @DELETE
    @Path("{id}/presence")
    public Envelope leave(@Context SecurityContext security, @PathParam("id") long id) {
        tickets.leave(Callers.require(security), id);
        return Envelope.ok(Map.of("id", id, "left", true));
    }

    @GET
    @Path("{id}/articles")
    public Envelope articles(@Context SecurityContext security, @PathParam("id") long id) {
        return Envelope.ok(tickets.articles(Callers.require(security), id));
    }

    @POST
    @Path("{id}/articles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addArticle(@Context SecurityContext security, @PathParam("id") long id, NewArticle article) {
        return Response.status(201).entity(Envelope.ok(tickets.addArticle(Callers.require(security), id, article)))
                .build();
    }

    @GET
    @Path("{id}/articles/{articleId}")
    public Envelope article(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("articleId") long articleId) {
        return Envelope.ok(tickets.article(Callers.require(security), id, articleId)
                .orElseThrow(() -> ApiException.notFound("Article")));
    }

    @PUT
    @Path("{id}/articles/{articleId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateArticle(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("articleId") long articleId, ArticleChanges changes) {
        return Envelope.ok(tickets.updateArticle(Callers.require(security), id, articleId, changes));
    }

    @DELETE
    @Path("{id}/articles/{articleId}")
    public Envelope deleteArticle(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("articleId") long articleId) {
        tickets.deleteArticle(Callers.require(security), id, articleId);
        return Envelope.ok(Map.of("id", articleId, "deleted", true));
    }

    @GET
    @Path("{id}/articles/{articleId}/attachments")
    public Envelope attachments(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("articleId") long articleId) {
        return Envelope.ok(tickets.attachments(Callers.require(security), id, articleId));
    }

    /** The raw file as the body; its name in {@code ?filename=}, its type in Content-Type (sniffed anyway). */
    @POST
    @Path("{id}/articles/{articleId}/attachments")
    @Consumes(MediaType.WILDCARD)
    public Response upload(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("articleId") long articleId, @QueryParam("filename") String filename,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        Caller caller = Callers.require(security);
        byte[] content = body == null ? new byte[0] : body.readAllBytes();
        return Response.status(201).entity(Envelope.ok(tickets.addAttachment(caller, id, articleId, filename,
                contentType, content))).build();
    }

    @GET
    @Path("{id}/articles/{articleId}/attachments/{attachmentId}")
    @Produces(MediaType.WILDCARD)
    public Response download(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("articleId") long articleId, @PathParam("attachmentId") long attachmentId) {
        AttachmentContent file = tickets.attachment(Callers.require(security), id, articleId, attachmentId)
                .orElseThrow(() -> ApiException.notFound("Attachment"));
        String name = file.attachment().filename() == null || file.attachment().filename().isBlank() ? "attachment"
                : file.attachment().filename();
        String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        MediaType type;
        try {
            type = MediaType.valueOf(file.attachment().contentType());
        } catch (IllegalArgumentException | NullPointerException unparsable) {
            // rows from imports may carry anything here
            type = MediaType.APPLICATION_OCTET_STREAM_TYPE;
        }
        return Response.ok(file.content(), type)
                .header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "private, no-store")
                .build();
    }

    static Long id(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id <= 0) {
                throw ApiException.validation(field + " must be a positive number");
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.validation(field + " must be a number");
        }
    }

    static boolean flag(String field, String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false") || value.equals("0")) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equals("1")) {
            return true;
        }
        throw ApiException.validation(field + " must be true or false");
    }
}
