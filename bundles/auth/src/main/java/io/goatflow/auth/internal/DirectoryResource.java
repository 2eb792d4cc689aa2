package io.goatflow.auth.internal;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.auth.Permissions;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
 * Who is who: {@code /api/v1/users} (agents; {@code /users/me} for anyone logged in), {@code /api/v1/groups},
 * {@code /api/v1/roles} and their permissions. Agents read the agent and group lists; everything else is for
 * admins. Accounts and groups are never deleted (tickets and history refer to them): DELETE marks them invalid
 * and, for accounts, ends their sessions.
 */
@Component(service = DirectoryResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class DirectoryResource {
    static final int NAME_MAX = 100;
    static final int LOGIN_MAX = 200;
    static final int MIN_PASSWORD = 12;

    private final Database database;
    private final PasswordHashing passwords;
    private final LoginSessions sessions;

    /** Body of an agent write; null fields keep their value on PUT. */
    public record UserRequest(String login, String password, String first_name, String last_name, String title,
            Boolean valid) {
    }

    /** Body of a group or role write. */
    public record NamedRequest(String name, String comments, Boolean valid) {
    }

    @Activate
    public DirectoryResource(@Reference Database database, @Reference PasswordHashing passwords,
            @Reference LoginSessions sessions,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
        this.passwords = passwords;
        this.sessions = sessions;
    }

    // ------------------------------------------------------------------ me

    @GET
    @Path("users/me")
    public Envelope me(@Context SecurityContext security) {
        Caller caller = Callers.require(security);
        return Envelope.ok(database.inTransaction(c -> {
            if (caller.isCustomer()) {
                return Jdbc.rows(c, CustomerDirectoryResource.USER_SELECT + " WHERE u.id = ?", List.of(caller.id()))
                        .stream().findFirst().map(row -> {
                            row.put("kind", "customer");
                            return row;
                        }).orElseThrow(ApiException::unauthorized);
            }
            Map<String, Object> row = Jdbc.rows(c, USER_SELECT + " WHERE u.id = ?", List.of(caller.id())).stream()
                    .findFirst().orElseThrow(ApiException::unauthorized);
            row.put("kind", "agent");
            row.put("admin", caller.admin());
            row.put("groups", memberships(c, caller.id()));
            return row;
        }));
    }

    // ------------------------------------------------------------------ agents

    static final String USER_SELECT = "SELECT u.id, u.login, u.title, u.first_name, u.last_name, u.valid_id,"
            + " u.create_time, u.change_time FROM users u";

    @GET
    @Path("users")
    public Envelope users(@Context SecurityContext security, @QueryParam("search") String search,
            @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        Caller caller = Callers.requireAgent(security);
        PageRequest paging = PageRequest.of(page, perPage, 50);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(caller.admin() ? " WHERE 1 = 1" : " WHERE u.valid_id = 1");
        if (search != null && !search.isBlank()) {
            where.append(" AND (LOWER(u.login) LIKE ? OR LOWER(u.first_name) LIKE ? OR LOWER(u.last_name) LIKE ?)");
            String like = prefixLike(search);
            params.add(like);
            params.add(like);
            params.add(like);
        }
        return database.inTransaction(c -> {
            long total = count(c, "SELECT COUNT(*) FROM users u" + where, params);
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.perPage());
            pageParams.add(paging.offset());
            return Envelope.page(Jdbc.rows(c, USER_SELECT + where + " ORDER BY u.login LIMIT ? OFFSET ?", pageParams),
                    paging.pagination(total));
        });
    }

    @GET
    @Path("users/{id}")
    public Envelope user(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = Callers.requireAgent(security);
        return Envelope.ok(database.inTransaction(c -> {
            Map<String, Object> row = Jdbc.rows(c, USER_SELECT + " WHERE u.id = ?"
                    + (caller.admin() ? "" : " AND u.valid_id = 1"), List.of(id)).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound("User"));
            if (caller.admin()) {
                row.put("groups", memberships(c, id));
                row.put("roles", Jdbc.rows(c, "SELECT r.id, r.name FROM role_user ru JOIN roles r ON r.id = ru.role_id"
                        + " WHERE ru.user_id = ? ORDER BY r.name", List.of(id)));
            }
            return row;
        }));
    }

    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createUser(@Context SecurityContext security, UserRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A user body is required");
        }
        String login = login(request.login());
        String hash = passwords.hash(password(request.password()));
        String first = text("first_name", request.first_name(), NAME_MAX, true);
        String last = text("last_name", request.last_name(), NAME_MAX, true);
        String title = text("title", request.title(), 50, false);
        long id = unique(() -> database.inTransaction(c -> {
            long created = Accounts.createAgent(c, login, hash, first, last, admin.id());
            if (title != null || Boolean.FALSE.equals(request.valid())) {
                Jdbc.update(c, "UPDATE users SET title = ?, valid_id = ? WHERE id = ?",
                        Jdbc.params(title, Boolean.FALSE.equals(request.valid()) ? 2 : 1, created));
            }
            return created;
        }), "An agent with this login exists already");
        return Response.status(201).entity(user(security, id)).build();
    }

    @PUT
    @Path("users/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateUser(@Context SecurityContext security, @PathParam("id") long id, UserRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A user body is required");
        }
        String hash = request.password() == null ? null : passwords.hash(password(request.password()));
        boolean endSessions = hash != null || Boolean.FALSE.equals(request.valid());
        unique(() -> database.inTransaction(c -> {
            Map<String, Object> current = Jdbc.rows(c, USER_SELECT + " WHERE u.id = ?", List.of(id)).stream()
                    .findFirst().orElseThrow(() -> ApiException.notFound("User"));
            if (id == admin.id() && Boolean.FALSE.equals(request.valid())) {
                throw ApiException.conflict("SELF_LOCKOUT", "You cannot disable your own account");
            }
            Jdbc.update(c, "UPDATE users SET login = ?, first_name = ?, last_name = ?, title = ?, valid_id = ?,"
                    + " change_time = ?, change_by = ? WHERE id = ?", Jdbc.params(
                    request.login() == null ? current.get("login") : login(request.login()),
                    request.first_name() == null ? current.get("first_name")
                            : text("first_name", request.first_name(), NAME_MAX, true),
                    request.last_name() == null ? current.get("last_name")
                            : text("last_name", request.last_name(), NAME_MAX, true),
                    request.title() == null ? current.get("title") : text("title", request.title(), 50, false),
                    request.valid() == null ? (Boolean.TRUE.equals(current.get("valid")) ? 1 : 2)
                            : (request.valid() ? 1 : 2),
                    Instant.now(), admin.id(), id));
            if (hash != null) {
                Jdbc.update(c, "UPDATE users SET pw = ? WHERE id = ?", Jdbc.params(hash, id));
            }
            if (endSessions) {
                Jdbc.update(c, "DELETE FROM gk_session WHERE user_id = ? AND user_kind = 'agent'", Jdbc.params(id));
            }
            return null;
        }), "An agent with this login exists already");
        return user(security, id);
    }

    @DELETE
    @Path("users/{id}")
    public Envelope deleteUser(@Context SecurityContext security, @PathParam("id") long id) {
        Caller admin = Callers.requireAdmin(security);
        if (id == admin.id()) {
            throw ApiException.conflict("SELF_LOCKOUT", "You cannot disable your own account");
        }
        int changed = database.inTransaction(c -> {
            int n = Jdbc.update(c, "UPDATE users SET valid_id = 2, change_time = ?, change_by = ? WHERE id = ?",
                    Jdbc.params(Instant.now(), admin.id(), id));
            Jdbc.update(c, "DELETE FROM gk_session WHERE user_id = ? AND user_kind = 'agent'", Jdbc.params(id));
            return n;
        });
        if (changed == 0) {
            throw ApiException.notFound("User");
        }
        return Envelope.ok(Map.of("id", id, "valid", false));
    }

    /**
     * Replaces an agent's direct group permissions: {@code {"<group id>": ["ro", "note"], ...}}; groups not named
     * lose the agent.
     */
    @PUT
    @Path("users/{id}/groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope setUserGroups(@Context SecurityContext security, @PathParam("id") long id,
            Map<String, List<String>> groups) {
        Caller admin = Callers.requireAdmin(security);
        Map<Long, List<String>> wanted = permissionMap(groups);
        database.inTransaction(c -> {
            requireRow(c, "users", id, "User");
            if (id == admin.id() && !keepsAdmin(c, wanted)) {
                throw ApiException.conflict("SELF_LOCKOUT", "You cannot remove your own admin permission");
            }
            Jdbc.update(c, "DELETE FROM group_user WHERE user_id = ?", Jdbc.params(id));
            Instant now = Instant.now();
            for (Map.Entry<Long, List<String>> e : wanted.entrySet()) {
                requireRow(c, "groups", e.getKey(), "Group");
                for (String key : e.getValue()) {
                    Jdbc.update(c, "INSERT INTO group_user (user_id, group_id, permission_key, create_time, create_by,"
                            + " change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            Jdbc.params(id, e.getKey(), key, now, admin.id(), now, admin.id()));
                }
            }
            return null;
        });
        return Envelope.ok(database.inTransaction(c -> memberships(c, id)));
    }

    /** Replaces an agent's roles: {@code [<role id>, ...]}. */
    @PUT
    @Path("users/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope setUserRoles(@Context SecurityContext security, @PathParam("id") long id, List<Long> roles) {
        Caller admin = Callers.requireAdmin(security);
        if (roles == null) {
            throw ApiException.validation("Body must be a list of role ids");
        }
        database.inTransaction(c -> {
            requireRow(c, "users", id, "User");
            Jdbc.update(c, "DELETE FROM role_user WHERE user_id = ?", Jdbc.params(id));
            Instant now = Instant.now();
            for (Long role : roles.stream().distinct().toList()) {
                if (role == null) {
                    throw ApiException.validation("role ids must be numbers");
                }
                requireRow(c, "roles", role, "Role");
                Jdbc.update(c, "INSERT INTO role_user (user_id, role_id, create_time, create_by, change_time,"
                        + " change_by) VALUES (?, ?, ?, ?, ?, ?)", Jdbc.params(id, role, now, admin.id(), now,
                        admin.id()));
            }
            return null;
        });
        return user(security, id);
    }

    // ------------------------------------------------------------------ groups and roles

    @GET
    @Path("groups")
    public Envelope listGroups(@Context SecurityContext security) {
        return groups(security, "groups");
    }

    @GET
    @Path("groups/{id}")
    public Envelope getGroup(@Context SecurityContext security, @PathParam("id") long id) {
        return group(security, "groups", id);
    }

    @POST
    @Path("groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createGroup(@Context SecurityContext security, NamedRequest request) {
        return createGroup(security, "groups", request);
    }

    @PUT
    @Path("groups/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateGroup(@Context SecurityContext security, @PathParam("id") long id, NamedRequest request) {
        return updateGroup(security, "groups", id, request);
    }

    @DELETE
    @Path("groups/{id}")
    public Envelope deleteGroup(@Context SecurityContext security, @PathParam("id") long id) {
        return deleteGroup(security, "groups", id);
    }

    @GET
    @Path("roles")
    public Envelope listRoles(@Context SecurityContext security) {
        return groups(security, "roles");
    }

    @GET
    @Path("roles/{id}")
    public Envelope getRole(@Context SecurityContext security, @PathParam("id") long id) {
        return group(security, "roles", id);
    }

    @POST
    @Path("roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createRole(@Context SecurityContext security, NamedRequest request) {
        return createGroup(security, "roles", request);
    }

    @PUT
    @Path("roles/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateRole(@Context SecurityContext security, @PathParam("id") long id, NamedRequest request) {
        return updateGroup(security, "roles", id, request);
    }

    @DELETE
    @Path("roles/{id}")
    public Envelope deleteRole(@Context SecurityContext security, @PathParam("id") long id) {
        return deleteGroup(security, "roles", id);
    }

    private Envelope groups(@Context SecurityContext security, String kind) {
        Caller caller = kind.equals("roles") ? Callers.requireAdmin(security) : Callers.requireAgent(security);
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, "SELECT id, name, comments, valid_id, create_time,"
                + " change_time FROM " + kind + (caller.admin() ? "" : " WHERE valid_id = 1") + " ORDER BY name",
                List.of())));
    }

    private Envelope group(@Context SecurityContext security, String kind,
            @PathParam("id") long id) {
        Caller caller = kind.equals("roles") ? Callers.requireAdmin(security) : Callers.requireAgent(security);
        return Envelope.ok(database.inTransaction(c -> {
            Map<String, Object> row = Jdbc.rows(c, "SELECT id, name, comments, valid_id, create_time, change_time FROM "
                    + kind + " WHERE id = ?" + (caller.admin() ? "" : " AND valid_id = 1"), List.of(id)).stream()
                    .findFirst().orElseThrow(() -> ApiException.notFound(kind.equals("roles") ? "Role" : "Group"));
            if (kind.equals("roles")) {
                row.put("groups", Jdbc.rows(c, "SELECT g.id, g.name, gr.permission_key FROM group_role gr JOIN groups g"
                        + " ON g.id = gr.group_id WHERE gr.role_id = ? AND gr.permission_value = 1 ORDER BY g.name,"
                        + " gr.permission_key", List.of(id)));
            }
            return row;
        }));
    }

    private Response createGroup(@Context SecurityContext security, String kind,
            NamedRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A body is required");
        }
        String name = text("name", request.name(), LOGIN_MAX, true);
        Instant now = Instant.now();
        long id = unique(() -> database.inTransaction(c -> Jdbc.insert(c, "INSERT INTO " + kind + " (name, comments,"
                + " valid_id, create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                Jdbc.params(name, text("comments", request.comments(), 250, false),
                        Boolean.FALSE.equals(request.valid()) ? 2 : 1, now, admin.id(), now, admin.id()))),
                "A " + kind.substring(0, kind.length() - 1) + " with this name exists already");
        return Response.status(201).entity(group(security, kind, id)).build();
    }

    private Envelope updateGroup(@Context SecurityContext security, String kind,
            @PathParam("id") long id, NamedRequest request) {
        Caller admin = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A body is required");
        }
        unique(() -> database.inTransaction(c -> {
            Map<String, Object> current = Jdbc.rows(c, "SELECT name, comments, valid_id FROM " + kind + " WHERE id = ?",
                    List.of(id)).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound(kind.equals("roles") ? "Role" : "Group"));
            if (kind.equals("groups") && "admin".equals(current.get("name"))
                    && (request.name() != null && !request.name().equals("admin")
                            || Boolean.FALSE.equals(request.valid()))) {
                throw ApiException.conflict("PROTECTED_GROUP", "The admin group cannot be renamed or disabled");
            }
            return Jdbc.update(c, "UPDATE " + kind + " SET name = ?, comments = ?, valid_id = ?, change_time = ?,"
                    + " change_by = ? WHERE id = ?", Jdbc.params(
                    request.name() == null ? current.get("name") : text("name", request.name(), LOGIN_MAX, true),
                    request.comments() == null ? current.get("comments")
                            : text("comments", request.comments(), 250, false),
                    request.valid() == null ? (Boolean.TRUE.equals(current.get("valid")) ? 1 : 2)
                            : (request.valid() ? 1 : 2), Instant.now(), admin.id(), id));
        }), "A " + kind.substring(0, kind.length() - 1) + " with this name exists already");
        return group(security, kind, id);
    }

    private Envelope deleteGroup(@Context SecurityContext security, String kind,
            @PathParam("id") long id) {
        return updateGroup(security, kind, id, new NamedRequest(null, null, false));
    }

    /** Replaces a role's group permissions: {@code {"<group id>": ["rw"], ...}}. */
    @PUT
    @Path("roles/{id}/groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope setRoleGroups(@Context SecurityContext security, @PathParam("id") long id,
            Map<String, List<String>> groups) {
        Caller admin = Callers.requireAdmin(security);
        Map<Long, List<String>> wanted = permissionMap(groups);
        database.inTransaction(c -> {
            requireRow(c, "roles", id, "Role");
            Jdbc.update(c, "DELETE FROM group_role WHERE role_id = ?", Jdbc.params(id));
            Instant now = Instant.now();
            for (Map.Entry<Long, List<String>> e : wanted.entrySet()) {
                requireRow(c, "groups", e.getKey(), "Group");
                for (String key : e.getValue()) {
                    Jdbc.update(c, "INSERT INTO group_role (role_id, group_id, permission_key, permission_value,"
                            + " create_time, create_by, change_time, change_by) VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
                            Jdbc.params(id, e.getKey(), key, now, admin.id(), now, admin.id()));
                }
            }
            return null;
        });
        return group(security, "roles", id);
    }

    // ------------------------------------------------------------------ helpers

    private static List<Map<String, Object>> memberships(Connection c, long userId) throws SQLException {
        return Jdbc.rows(c, "SELECT g.id, g.name, gu.permission_key FROM group_user gu JOIN groups g"
                + " ON g.id = gu.group_id WHERE gu.user_id = ? ORDER BY g.name, gu.permission_key", List.of(userId));
    }

    private static boolean keepsAdmin(Connection c, Map<Long, List<String>> wanted) throws SQLException {
        List<Map<String, Object>> admin = Jdbc.rows(c, "SELECT id FROM groups WHERE name = 'admin'", List.of());
        if (admin.isEmpty()) {
            return true;
        }
        long adminGroup = ((Number) admin.get(0).get("id")).longValue();
        return wanted.getOrDefault(adminGroup, List.of()).contains(Permissions.RW);
    }

    static Map<Long, List<String>> permissionMap(Map<String, List<String>> groups) {
        if (groups == null) {
            throw ApiException.validation("Body must map group ids to lists of permission keys");
        }
        Map<Long, List<String>> result = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : groups.entrySet()) {
            long groupId;
            try {
                groupId = Long.parseLong(e.getKey());
            } catch (NumberFormatException ex) {
                throw ApiException.validation("'" + e.getKey() + "' is not a group id");
            }
            List<String> keys = e.getValue() == null ? List.of() : e.getValue().stream().distinct().toList();
            for (String key : keys) {
                if (key == null || !Permissions.KEYS.contains(key)) {
                    throw ApiException.validation("'" + key + "' is not a permission; use one of "
                            + String.join(", ", Permissions.KEYS));
                }
            }
            result.put(groupId, keys);
        }
        return result;
    }

    static void requireRow(Connection c, String table, long id, String noun) throws SQLException {
        if (Jdbc.rows(c, "SELECT 1 AS found FROM " + table + " WHERE id = ?", List.of(id)).isEmpty()) {
            throw ApiException.notFound(noun);
        }
    }

    static long count(Connection c, String sql, List<Object> params) throws SQLException {
        return ((Number) Jdbc.rows(c, sql.replace("SELECT COUNT(*)", "SELECT COUNT(*) AS n"), params).get(0).get("n"))
                .longValue();
    }

    /** A LIKE pattern for "starts with", with the wildcards of the input escaped. */
    static String prefixLike(String search) {
        String s = search.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.length() > 100) {
            throw ApiException.validation("search is longer than 100 characters");
        }
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    static String login(String login) {
        String value = text("login", login, LOGIN_MAX, true);
        if (!value.matches("[\\p{L}\\p{N}._@+-]+")) {
            throw ApiException.validation("login may contain letters, digits and . _ @ + - only");
        }
        return value;
    }

    static String password(String password) {
        if (password == null || password.length() < MIN_PASSWORD
                || password.getBytes(StandardCharsets.UTF_8).length > PasswordHashing.MAX_PASSWORD_BYTES) {
            throw ApiException.validation("password must have at least " + MIN_PASSWORD + " characters and at most "
                    + PasswordHashing.MAX_PASSWORD_BYTES + " bytes");
        }
        return password;
    }

    static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ApiException.validation(field + " is required");
            }
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw ApiException.validation(field + " is longer than " + max + " characters");
        }
        if (trimmed.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.validation(field + " contains control characters");
        }
        return trimmed;
    }

    static <T> T unique(Supplier<T> work, String message) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw ApiException.conflict("DUPLICATE", message);
            }
            throw e;
        }
    }
}
