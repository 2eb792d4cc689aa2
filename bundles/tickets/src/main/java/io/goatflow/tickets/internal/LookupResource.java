package io.goatflow.tickets.internal;

import io.goatflow.persistence.Jdbc;
import io.goatflow.auth.Permissions;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The lookups tickets refer to: {@code /api/v1/queues} (agents see the queues they hold ro in; customers none),
 * {@code /api/v1/states}, {@code /api/v1/priorities}, {@code /api/v1/types} (any logged-in caller). Writes are
 * for admins; DELETE marks a row invalid, because tickets and history keep referring to it.
 */
@Component(service = LookupResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class LookupResource {
    private static final int NAME_MAX = 200;
    private static final int COMMENT_MAX = 250;

    private final Database database;
    private final Permissions permissions;

    /** Body of a queue write; null fields keep their value on PUT. */
    public record QueueRequest(String name, Long group_id, String comments, Boolean valid, Integer unlock_timeout,
            Integer first_response_time, Integer update_time, Integer solution_time) {
    }

    /** Body of a state, priority or type write. {@code type} is the state type name (states only). */
    public record LookupRequest(String name, String comments, Boolean valid, String type, String color) {
    }

    @Activate
    public LookupResource(@Reference Database database, @Reference Permissions permissions,
            @Reference(target = "(goatflow.schema=io.goatflow.tickets)") io.goatflow.persistence.SchemaReady schema) {
        this.database = database;
        this.permissions = permissions;
    }

    // ------------------------------------------------------------------ queues

    private static final String QUEUE_SELECT = "SELECT q.id, q.name, q.group_id, g.name AS group_name, q.comments,"
            + " q.unlock_timeout, q.first_response_time, q.update_time, q.solution_time, q.valid_id,"
            + " q.create_time, q.change_time FROM queue q JOIN groups g ON g.id = q.group_id";

    @GET
    @Path("queues")
    public Envelope queues(@Context SecurityContext security, @QueryParam("valid") String valid) {
        Caller caller = Callers.requireAgent(security);
        boolean all = "all".equalsIgnoreCase(valid);
        List<Map<String, Object>> queues = database.inTransaction(c -> Jdbc.rows(c, QUEUE_SELECT
                + (all && caller.admin() ? "" : " WHERE q.valid_id = 1") + " ORDER BY q.name", List.of()));
        return Envelope.ok(visibleQueues(caller, queues));
    }

    /** Admins see every queue; agents the queues of groups they hold ro in (read outside any transaction). */
    private List<Map<String, Object>> visibleQueues(Caller caller, List<Map<String, Object>> queues) {
        if (caller.admin()) {
            return queues;
        }
        Set<Long> groups = permissions.groupsWith(caller.id(), Permissions.RO);
        return queues.stream().filter(q -> groups.contains(((Number) q.get("group_id")).longValue())).toList();
    }

    @GET
    @Path("queues/{id}")
    public Envelope queue(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = Callers.requireAgent(security);
        List<Map<String, Object>> queue = database.inTransaction(c -> Jdbc.rows(c, QUEUE_SELECT + " WHERE q.id = ?",
                List.of(id)));
        return Envelope.ok(visibleQueues(caller, queue).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("Queue")));
    }

    @POST
    @Path("queues")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createQueue(@Context SecurityContext security, QueueRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A queue body is required");
        }
        String name = DatabaseTicketService.requiredText("name", request.name(), NAME_MAX);
        if (request.group_id() == null) {
            throw ApiException.validation("group_id is required");
        }
        long id = write(() -> database.inTransaction(c -> {
            requireGroup(c, request.group_id());
            Instant now = Instant.now();
            return Jdbc.insert(c, "INSERT INTO queue (name, group_id, comments, unlock_timeout, first_response_time,"
                    + " update_time, solution_time, follow_up_id, follow_up_lock, valid_id, create_time, create_by,"
                    + " change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?, ?)",
                    Jdbc.params(name, request.group_id(), comment(request.comments()),
                            minutes("unlock_timeout", request.unlock_timeout()),
                            minutes("first_response_time", request.first_response_time()),
                            minutes("update_time", request.update_time()),
                            minutes("solution_time", request.solution_time()),
                            Boolean.FALSE.equals(request.valid()) ? 2 : 1, now, admin.id(), now, admin.id()));
        }), "queue");
        return Response.status(201).entity(Envelope.ok(database.inTransaction(c ->
                Jdbc.rows(c, QUEUE_SELECT + " WHERE q.id = ?", List.of(id)).get(0)))).build();
    }

    @PUT
    @Path("queues/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateQueue(@Context SecurityContext security, @PathParam("id") long id, QueueRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A queue body is required");
        }
        write(() -> database.inTransaction(c -> {
            Map<String, Object> current = Jdbc.rows(c, QUEUE_SELECT + " WHERE q.id = ?", List.of(id)).stream()
                    .findFirst().orElseThrow(() -> ApiException.notFound("Queue"));
            String name = request.name() == null ? (String) current.get("name")
                    : DatabaseTicketService.requiredText("name", request.name(), NAME_MAX);
            long group = request.group_id() == null ? ((Number) current.get("group_id")).longValue()
                    : requireGroup(c, request.group_id());
            Jdbc.update(c, "UPDATE queue SET name = ?, group_id = ?, comments = ?, unlock_timeout = ?,"
                    + " first_response_time = ?, update_time = ?, solution_time = ?, valid_id = ?, change_time = ?,"
                    + " change_by = ? WHERE id = ?",
                    Jdbc.params(name, group, request.comments() == null ? current.get("comments")
                            : comment(request.comments()),
                            keep(current, "unlock_timeout", request.unlock_timeout()),
                            keep(current, "first_response_time", request.first_response_time()),
                            keep(current, "update_time", request.update_time()),
                            keep(current, "solution_time", request.solution_time()),
                            (request.valid() == null ? Boolean.TRUE.equals(current.get("valid")) : request.valid()) ? 1 : 2,
                            Instant.now(), admin.id(), id));
            return null;
        }), "queue");
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, QUEUE_SELECT + " WHERE q.id = ?", List.of(id)).get(0)));
    }

    @DELETE
    @Path("queues/{id}")
    public Envelope deleteQueue(@Context SecurityContext security, @PathParam("id") long id) {
        Caller admin = Callers.requireAdmin(security);
        return invalidate("queue", "Queue", id, admin);
    }

    // ------------------------------------------------------------------ states, priorities, types

    private static final Map<String, String> LOOKUP_SELECT = Map.of(
            "states", "SELECT s.id, s.name, s.comments, st.name AS type, s.type_id, s.valid_id, s.create_time,"
                    + " s.change_time FROM ticket_state s JOIN ticket_state_type st ON st.id = s.type_id",
            "priorities", "SELECT p.id, p.name, p.color, p.valid_id, p.create_time, p.change_time"
                    + " FROM ticket_priority p",
            "types", "SELECT y.id, y.name, y.valid_id, y.create_time, y.change_time FROM ticket_type y");
    private static final Map<String, String> TABLES = Map.of("states", "ticket_state", "priorities",
            "ticket_priority", "types", "ticket_type");
    private static final Map<String, String> ALIASES = Map.of("states", "s", "priorities", "p", "types", "y");
    private static final Map<String, String> NOUNS = Map.of("states", "State", "priorities", "Priority", "types",
            "Type");

    @GET
    @Path("states")
    public Envelope listStates(@Context SecurityContext security) {
        return lookups(security, "states");
    }

    @GET
    @Path("states/{id}")
    public Envelope getStates(@Context SecurityContext security, @PathParam("id") long id) {
        return lookup(security, "states", id);
    }

    @POST
    @Path("states")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createStates(@Context SecurityContext security, LookupRequest request) {
        return createLookup(security, "states", request);
    }

    @PUT
    @Path("states/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateStates(@Context SecurityContext security, @PathParam("id") long id, LookupRequest request) {
        return updateLookup(security, "states", id, request);
    }

    @DELETE
    @Path("states/{id}")
    public Envelope deleteStates(@Context SecurityContext security, @PathParam("id") long id) {
        return deleteLookup(security, "states", id);
    }

    @GET
    @Path("priorities")
    public Envelope listPriorities(@Context SecurityContext security) {
        return lookups(security, "priorities");
    }

    @GET
    @Path("priorities/{id}")
    public Envelope getPriorities(@Context SecurityContext security, @PathParam("id") long id) {
        return lookup(security, "priorities", id);
    }

    @POST
    @Path("priorities")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createPriorities(@Context SecurityContext security, LookupRequest request) {
        return createLookup(security, "priorities", request);
    }

    @PUT
    @Path("priorities/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updatePriorities(@Context SecurityContext security, @PathParam("id") long id, LookupRequest request) {
        return updateLookup(security, "priorities", id, request);
    }

    @DELETE
    @Path("priorities/{id}")
    public Envelope deletePriorities(@Context SecurityContext security, @PathParam("id") long id) {
        return deleteLookup(security, "priorities", id);
    }

    @GET
    @Path("types")
    public Envelope listTypes(@Context SecurityContext security) {
        return lookups(security, "types");
    }

    @GET
    @Path("types/{id}")
    public Envelope getTypes(@Context SecurityContext security, @PathParam("id") long id) {
        return lookup(security, "types", id);
    }

    @POST
    @Path("types")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createTypes(@Context SecurityContext security, LookupRequest request) {
        return createLookup(security, "types", request);
    }

    @PUT
    @Path("types/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateTypes(@Context SecurityContext security, @PathParam("id") long id, LookupRequest request) {
        return updateLookup(security, "types", id, request);
    }

    @DELETE
    @Path("types/{id}")
    public Envelope deleteTypes(@Context SecurityContext security, @PathParam("id") long id) {
        return deleteLookup(security, "types", id);
    }

    private Envelope lookups(@Context SecurityContext security, String kind) {
        Caller caller = Callers.require(security);
        String where = caller.admin() ? "" : " WHERE " + ALIASES.get(kind) + ".valid_id = 1";
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, LOOKUP_SELECT.get(kind) + where + " ORDER BY "
                + ALIASES.get(kind) + ".id", List.of())));
    }

    private Envelope lookup(@Context SecurityContext security, String kind,
            @PathParam("id") long id) {
        Caller caller = Callers.require(security);
        String alias = ALIASES.get(kind);
        String where = " WHERE " + alias + ".id = ?" + (caller.admin() ? "" : " AND " + alias + ".valid_id = 1");
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, LOOKUP_SELECT.get(kind) + where, List.of(id)))
                .stream().findFirst().orElseThrow(() -> ApiException.notFound(NOUNS.get(kind))));
    }

    private Response createLookup(@Context SecurityContext security, String kind,
            LookupRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A body is required");
        }
        String name = DatabaseTicketService.requiredText("name", request.name(), NAME_MAX);
        long id = write(() -> database.inTransaction(c -> {
            Instant now = Instant.now();
            int valid = Boolean.FALSE.equals(request.valid()) ? 2 : 1;
            return switch (kind) {
                case "states" -> Jdbc.insert(c, "INSERT INTO ticket_state (name, comments, type_id, valid_id,"
                        + " create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        Jdbc.params(name, comment(request.comments()), stateType(c, request.type()), valid, now,
                                admin.id(), now, admin.id()));
                case "priorities" -> Jdbc.insert(c, "INSERT INTO ticket_priority (name, color, valid_id,"
                        + " create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        Jdbc.params(name, color(request.color()), valid, now, admin.id(), now, admin.id()));
                default -> Jdbc.insert(c, "INSERT INTO ticket_type (name, valid_id, create_time, create_by,"
                        + " change_time, change_by) VALUES (?, ?, ?, ?, ?, ?)",
                        Jdbc.params(name, valid, now, admin.id(), now, admin.id()));
            };
        }), NOUNS.get(kind).toLowerCase());
        return Response.status(201).entity(Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, LOOKUP_SELECT.get(kind)
                + " WHERE " + ALIASES.get(kind) + ".id = ?", List.of(id)).get(0)))).build();
    }

    private Envelope updateLookup(@Context SecurityContext security, String kind,
            @PathParam("id") long id, LookupRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A body is required");
        }
        String select = LOOKUP_SELECT.get(kind) + " WHERE " + ALIASES.get(kind) + ".id = ?";
        write(() -> database.inTransaction(c -> {
            Map<String, Object> current = Jdbc.rows(c, select, List.of(id)).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound(NOUNS.get(kind)));
            String name = request.name() == null ? (String) current.get("name")
                    : DatabaseTicketService.requiredText("name", request.name(), NAME_MAX);
            if (Boolean.FALSE.equals(request.valid())) {
                refuseProtected(TABLES.get(kind), id);
            }
            Object valid = (request.valid() == null ? Boolean.TRUE.equals(current.get("valid")) : request.valid()) ? 1 : 2;
            Instant now = Instant.now();
            switch (kind) {
                case "states" -> Jdbc.update(c, "UPDATE ticket_state SET name = ?, comments = ?, type_id = ?,"
                        + " valid_id = ?, change_time = ?, change_by = ? WHERE id = ?",
                        Jdbc.params(name, request.comments() == null ? current.get("comments")
                                : comment(request.comments()), request.type() == null ? current.get("type_id")
                                : stateType(c, request.type()), valid, now, admin.id(), id));
                case "priorities" -> Jdbc.update(c, "UPDATE ticket_priority SET name = ?, color = ?, valid_id = ?,"
                        + " change_time = ?, change_by = ? WHERE id = ?",
                        Jdbc.params(name, request.color() == null ? current.get("color") : color(request.color()),
                                valid, now, admin.id(), id));
                default -> Jdbc.update(c, "UPDATE ticket_type SET name = ?, valid_id = ?, change_time = ?,"
                        + " change_by = ? WHERE id = ?", Jdbc.params(name, valid, now, admin.id(), id));
            }
            return null;
        }), NOUNS.get(kind).toLowerCase());
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, select, List.of(id)).get(0)));
    }

    private Envelope deleteLookup(@Context SecurityContext security, String kind,
            @PathParam("id") long id) {
        Caller admin = Callers.requireAdmin(security);
        return invalidate(TABLES.get(kind), NOUNS.get(kind), id, admin);
    }

    // ------------------------------------------------------------------ helpers

    /** Rows the product itself relies on (new tickets, reopening, customer tickets) stay valid. */
    private static final Map<String, Set<Long>> PROTECTED = Map.of("ticket_state", Set.of(1L, 2L, 4L),
            "ticket_priority", Set.of(3L), "ticket_type", Set.of(1L));

    private static void refuseProtected(String table, long id) {
        if (PROTECTED.getOrDefault(table, Set.of()).contains(id)) {
            throw ApiException.conflict("PROTECTED", "This entry is built in and cannot be disabled");
        }
    }

    private Envelope invalidate(String table, String noun, long id, Caller admin) {
        refuseProtected(table, id);
        int changed = database.inTransaction(c -> Jdbc.update(c, "UPDATE " + table
                + " SET valid_id = 2, change_time = ?, change_by = ? WHERE id = ?",
                Jdbc.params(Instant.now(), admin.id(), id)));
        if (changed == 0) {
            throw ApiException.notFound(noun);
        }
        return Envelope.ok(Map.of("id", id, "valid", false));
    }

    /** Runs a write; a duplicate name is a 409, not a 500. */
    private static <T> T write(java.util.function.Supplier<T> work, String what) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw ApiException.conflict("DUPLICATE_NAME", "A " + what + " with this name exists already");
            }
            throw e;
        }
    }

    private static long requireGroup(Connection c, long groupId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM groups WHERE id = ? AND valid_id = 1")) {
            q.setLong(1, groupId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.validation("group_id: no such group");
                }
                return groupId;
            }
        }
    }

    private static long stateType(Connection c, String type) throws SQLException {
        if (type == null || type.isBlank()) {
            throw ApiException.validation("type is required (new, open, closed, pending reminder, pending auto,"
                    + " removed, merged)");
        }
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM ticket_state_type WHERE name = ?")) {
            q.setString(1, type.trim());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.validation("type must be one of new, open, closed, pending reminder,"
                            + " pending auto, removed, merged");
                }
                return rs.getLong(1);
            }
        }
    }

    private static String color(String color) {
        if (color == null || color.isBlank()) {
            return "#cdcdcd";
        }
        if (!color.matches("#[0-9a-fA-F]{6}")) {
            throw ApiException.validation("color must look like #a1b2c3");
        }
        return color;
    }

    private static String comment(String comments) {
        return DatabaseTicketService.optionalText("comments", comments, COMMENT_MAX);
    }

    private static Integer minutes(String field, Integer value) {
        if (value != null && (value < 0 || value > 525_600)) {
            throw ApiException.validation(field + " must be between 0 and 525600 minutes");
        }
        return value;
    }

    private static Object keep(Map<String, Object> current, String field, Integer value) {
        return value == null ? current.get(field) : minutes(field, value);
    }


}
