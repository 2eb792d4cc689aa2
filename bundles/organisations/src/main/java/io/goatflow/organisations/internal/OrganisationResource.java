package io.goatflow.organisations.internal;

import io.goatflow.events.DomainEvents;
import io.goatflow.organisations.Organisation;
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
import io.goatflow.sysconfig.ConfigScope;
import io.goatflow.sysconfig.Resolution;
import io.goatflow.sysconfig.ScopedConfig;
import io.goatflow.sysconfig.Setting;
import io.goatflow.sysconfig.TierValue;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Administration of organisations: {@code /api/v1/organisations}, their members, their plugin access and their
 * setting overrides (the organisation tier of the settings cascade). Only
 * administrators reach these routes; everyone else gets 404. An organisation is deleted only while nothing refers
 * to it (child organisations, tickets); archiving is how a used one is retired.
 */
@Component(service = OrganisationResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1/organisations")
@Produces(MediaType.APPLICATION_JSON)
public final class OrganisationResource {
    static final int NAME_MAX = 200;
    static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?");
    static final Pattern PLUGIN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");
    private static final Set<String> STATUSES = Set.of(Organisation.ACTIVE, Organisation.SUSPENDED,
            Organisation.ARCHIVED);
    private static final String MEMBER_SELECT = "SELECT m.id, m.org_id, m.user_id, u.login AS agent_login,"
            + " m.customer_login, m.role, m.is_default, m.create_time FROM gk_user_organisation m"
            + " LEFT JOIN users u ON u.id = m.user_id";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Database database;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ScopedConfig settings;

    /** Body of an organisation write; on update, absent fields keep their value ({@code parent_id} 0 clears it). */
    public record OrganisationRequest(String name, String slug, Long parent_id, String status,
            String customer_company_id) {
    }

    /** Body of a membership: {@code user_id} (agent) or {@code customer_login}, a role and the default flag. */
    public record MemberRequest(Long user_id, String customer_login, String role, Boolean is_default) {
    }

    /** Body of a setting override: a value of the setting's JSON type. */
    public record ConfigRequest(Object value) {
    }

    /** Body of a plugin grant; {@code group_id} 0 or absent = every member of the organisation. */
    public record PluginAccessRequest(String plugin, Long group_id) {
    }

    @Activate
    public OrganisationResource(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.organisations)") SchemaReady schema) {
        this.database = database;
    }

    // ------------------------------------------------------------------ organisations

    @GET
    public Envelope list(@Context SecurityContext security, @QueryParam("search") String search,
            @QueryParam("status") String status, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage) {
        Callers.requireAdmin(security);
        PageRequest paging = PageRequest.of(page, perPage, 50);
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (search != null && !search.isBlank()) {
            if (search.length() > 100) {
                throw ApiException.validation("search is longer than 100 characters");
            }
            String like = "%" + search.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            where.append(" AND (LOWER(o.name) LIKE ? ESCAPE '\\' OR o.slug LIKE ? ESCAPE '\\')");
            params.add(like);
            params.add(like);
        }
        if (status != null && !status.isBlank()) {
            if (!STATUSES.contains(status)) {
                throw ApiException.validation("status must be active, suspended or archived");
            }
            where.append(" AND o.status = ?");
            params.add(status);
        }
        return database.inTransaction(c -> {
            long total = ((Number) Jdbc.rows(c, "SELECT COUNT(*) AS n FROM gk_organisation o" + where, params)
                    .get(0).get("n")).longValue();
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.perPage());
            pageParams.add(paging.offset());
            return Envelope.page(OrganisationStore.list(c, where + " ORDER BY o.name, o.id LIMIT ? OFFSET ?",
                    pageParams), paging.pagination(total));
        });
    }

    @GET
    @Path("{id}")
    public Envelope get(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        return database.inTransaction(c -> {
            Organisation o = require(c, id);
            Map<String, Object> data = new LinkedHashMap<>(view(o));
            data.put("members", ((Number) Jdbc.rows(c, "SELECT COUNT(*) AS n FROM gk_user_organisation"
                    + " WHERE org_id = ?", List.of(id)).get(0).get("n")).longValue());
            data.put("children", OrganisationStore.list(c, " WHERE o.parent_id = ? ORDER BY o.name", List.of(id)));
            return Envelope.ok(data);
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, OrganisationRequest request) {
        Caller caller = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("An organisation body is required");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String name = name(request.name(), true, errors);
        String slug = slug(request.slug() == null && name != null ? slugOf(name) : request.slug(), errors);
        String status = request.status() == null ? Organisation.ACTIVE : status(request.status(), errors);
        Instant now = Instant.now();
        Organisation created = write(() -> database.inTransaction(c -> {
            Long parent = parent(c, 0, request.parent_id(), errors);
            String company = company(c, request.customer_company_id(), errors);
            if (!errors.isEmpty()) {
                throw ApiException.fieldErrors(errors);
            }
            long id = Jdbc.insert(c, "INSERT INTO gk_organisation (name, slug, parent_id, status, customer_company_id,"
                    + " create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Jdbc.params(name, slug, parent, status, company, now, caller.id(), now, caller.id()));
            return OrganisationStore.get(c, id).orElseThrow();
        }));
        publish("organisation.created", created, caller);
        return Response.status(201).entity(Envelope.ok(view(created))).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope update(@Context SecurityContext security, @PathParam("id") long id,
            OrganisationRequest request) {
        Caller caller = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("An organisation body is required");
        }
        Organisation updated = write(() -> database.inTransaction(c -> {
            Organisation current = require(c, id);
            Map<String, String> errors = new LinkedHashMap<>();
            String name = request.name() == null ? current.name() : name(request.name(), true, errors);
            String slug = request.slug() == null ? current.slug() : slug(request.slug(), errors);
            String status = request.status() == null ? current.status() : status(request.status(), errors);
            Long parent = request.parent_id() == null ? current.parentId() : parent(c, id, request.parent_id(), errors);
            String company = request.customer_company_id() == null ? current.customerCompanyId()
                    : company(c, request.customer_company_id(), errors);
            if (!errors.isEmpty()) {
                throw ApiException.fieldErrors(errors);
            }
            Jdbc.update(c, "UPDATE gk_organisation SET name = ?, slug = ?, parent_id = ?, status = ?,"
                    + " customer_company_id = ?, change_time = ?, change_by = ? WHERE id = ?",
                    Jdbc.params(name, slug, parent, status, company, Instant.now(), caller.id(), id));
            return OrganisationStore.get(c, id).orElseThrow();
        }));
        publish("organisation.updated", updated, caller);
        return Envelope.ok(view(updated));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") long id) {
        Caller caller = Callers.requireAdmin(security);
        Organisation deleted = database.inTransaction(c -> {
            Organisation o = require(c, id);
            Jdbc.rows(c, "SELECT id FROM gk_organisation WHERE id = ? FOR UPDATE", List.of(id));
            if (count(c, "SELECT COUNT(*) AS n FROM gk_organisation WHERE parent_id = ?", id) > 0) {
                throw ApiException.conflict("ORG_IN_USE", "The organisation has child organisations; move or"
                        + " delete them first");
            }
            if (count(c, "SELECT COUNT(*) AS n FROM ticket WHERE org_id = ?", id) > 0) {
                throw ApiException.conflict("ORG_IN_USE", "The organisation has tickets; archive it instead");
            }
            Jdbc.update(c, "DELETE FROM gk_org_plugin_access WHERE org_id = ?", List.of(id));
            Jdbc.update(c, "DELETE FROM gk_user_organisation WHERE org_id = ?", List.of(id));
            Jdbc.update(c, "DELETE FROM gk_organisation WHERE id = ?", List.of(id));
            return o;
        });
        publish("organisation.deleted", deleted, caller);
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ members

    @GET
    @Path("{id}/members")
    public Envelope members(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        return database.inTransaction(c -> {
            require(c, id);
            return Envelope.ok(Jdbc.rows(c, MEMBER_SELECT + " WHERE m.org_id = ? ORDER BY m.id", List.of(id))
                    .stream().map(OrganisationResource::member).toList());
        });
    }

    @POST
    @Path("{id}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addMember(@Context SecurityContext security, @PathParam("id") long id, MemberRequest request) {
        Caller caller = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A member body is required");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String role = role(request.role() == null ? "member" : request.role(), errors);
        boolean isDefault = Boolean.TRUE.equals(request.is_default());
        Map<String, Object> member = write(() -> database.inTransaction(c -> {
            require(c, id);
            Long agent = null;
            String customer = null;
            if ((request.user_id() == null) == (request.customer_login() == null
                    || request.customer_login().isBlank())) {
                errors.put("user_id", "give either user_id (an agent) or customer_login (a customer)");
            } else if (request.user_id() != null) {
                if (count(c, "SELECT COUNT(*) AS n FROM users WHERE id = ? AND valid_id = 1",
                        request.user_id()) == 0) {
                    errors.put("user_id", "no such agent (or the account is disabled)");
                }
                agent = request.user_id();
            } else {
                customer = request.customer_login().strip();
                if (count(c, "SELECT COUNT(*) AS n FROM customer_user WHERE login = ? AND valid_id = 1", customer)
                        == 0) {
                    errors.put("customer_login", "no such customer (or the account is disabled)");
                }
            }
            if (!errors.isEmpty()) {
                throw ApiException.fieldErrors(errors);
            }
            if (isDefault) {
                clearDefault(c, agent, customer);
            }
            long memberId = Jdbc.insert(c, "INSERT INTO gk_user_organisation (org_id, user_id, customer_login, role,"
                    + " is_default, create_time, create_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    Jdbc.params(id, agent, customer, role, isDefault ? 1 : 0, Instant.now(), caller.id()));
            return member(c, id, memberId);
        }));
        publish("organisation.member_added", Map.of("org_id", id, "member_id", member.get("id")), caller);
        return Response.status(201).entity(Envelope.ok(member)).build();
    }

    @PUT
    @Path("{id}/members/{member_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateMember(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("member_id") long memberId, MemberRequest request) {
        Caller caller = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A member body is required");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (request.user_id() != null || request.customer_login() != null) {
            errors.put("user_id", "a membership cannot move to another account; remove it and add a new one");
        }
        String role = request.role() == null ? null : role(request.role(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.fieldErrors(errors);
        }
        Map<String, Object> member = database.inTransaction(c -> {
            Map<String, Object> current = member(c, id, memberId);
            if (Boolean.TRUE.equals(request.is_default())) {
                clearDefault(c, (Long) current.get("user_id"), (String) current.get("customer_login"));
            }
            Jdbc.update(c, "UPDATE gk_user_organisation SET role = COALESCE(?, role), is_default = COALESCE(?,"
                    + " is_default) WHERE id = ?", Jdbc.params(role, request.is_default() == null ? null
                            : request.is_default() ? 1 : 0, memberId));
            return member(c, id, memberId);
        });
        publish("organisation.member_changed", Map.of("org_id", id, "member_id", memberId), caller);
        return Envelope.ok(member);
    }

    @DELETE
    @Path("{id}/members/{member_id}")
    public Response removeMember(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("member_id") long memberId) {
        Caller caller = Callers.requireAdmin(security);
        database.inTransaction(c -> {
            member(c, id, memberId);
            return Jdbc.update(c, "DELETE FROM gk_user_organisation WHERE id = ?", List.of(memberId));
        });
        publish("organisation.member_removed", Map.of("org_id", id, "member_id", memberId), caller);
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ plugin access

    @GET
    @Path("{id}/plugin-access")
    public Envelope pluginAccess(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        return database.inTransaction(c -> {
            require(c, id);
            return Envelope.ok(Jdbc.rows(c, "SELECT a.plugin_name AS plugin, a.group_id, g.name AS group_name,"
                    + " a.create_time FROM gk_org_plugin_access a LEFT JOIN groups g ON g.id = a.group_id"
                    + " WHERE a.org_id = ? ORDER BY a.plugin_name, a.group_id", List.of(id)));
        });
    }

    @POST
    @Path("{id}/plugin-access")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response grant(@Context SecurityContext security, @PathParam("id") long id, PluginAccessRequest request) {
        Caller caller = Callers.requireAdmin(security);
        if (request == null) {
            throw ApiException.validation("A plugin access body is required");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (request.plugin() == null || !PLUGIN.matcher(request.plugin()).matches()) {
            errors.put("plugin", "a plugin name: lower-case letters, digits, _ and -, at most 100");
        }
        long group = request.group_id() == null ? 0 : request.group_id();
        write(() -> database.inTransaction(c -> {
            require(c, id);
            if (group != 0 && count(c, "SELECT COUNT(*) AS n FROM groups WHERE id = ?", group) == 0) {
                errors.put("group_id", "no such group");
            }
            if (!errors.isEmpty()) {
                throw ApiException.fieldErrors(errors);
            }
            return Jdbc.insert(c, "INSERT INTO gk_org_plugin_access (org_id, plugin_name, group_id, create_time,"
                    + " create_by) VALUES (?, ?, ?, ?, ?)", Jdbc.params(id, request.plugin(), group, Instant.now(),
                            caller.id()));
        }));
        publish("organisation.plugin_access_changed", Map.of("org_id", id, "plugin", request.plugin()), caller);
        return Response.status(201).entity(Envelope.ok(Map.of("plugin", request.plugin(), "group_id", group)))
                .build();
    }

    @DELETE
    @Path("{id}/plugin-access/{plugin}")
    public Response revoke(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("plugin") String plugin, @QueryParam("group_id") Long groupId) {
        Caller caller = Callers.requireAdmin(security);
        int removed = database.inTransaction(c -> {
            require(c, id);
            return groupId == null
                    ? Jdbc.update(c, "DELETE FROM gk_org_plugin_access WHERE org_id = ? AND plugin_name = ?",
                            Jdbc.params(id, plugin))
                    : Jdbc.update(c, "DELETE FROM gk_org_plugin_access WHERE org_id = ? AND plugin_name = ?"
                            + " AND group_id = ?", Jdbc.params(id, plugin, groupId));
        });
        if (removed == 0) {
            throw ApiException.notFound("Plugin access");
        }
        publish("organisation.plugin_access_changed", Map.of("org_id", id, "plugin", plugin), caller);
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ settings of the organisation

    @GET
    @Path("{id}/config")
    public Envelope config(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAdmin(security);
        ScopedConfig current = settings();
        get(id);
        return Envelope.ok(current.orgValues(id).stream().map(OrganisationResource::configEntry).toList());
    }

    @GET
    @Path("{id}/config/{name}")
    public Envelope configValue(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("name") String name) {
        Callers.requireAdmin(security);
        ScopedConfig current = settings();
        get(id);
        return Envelope.ok(resolution(current.resolution(name, ConfigScope.org(id))
                .orElseThrow(() -> ApiException.notFound("Setting"))));
    }

    @PUT
    @Path("{id}/config/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope setConfig(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("name") String name, ConfigRequest request) {
        Caller caller = Callers.requireAdmin(security);
        ScopedConfig current = settings();
        get(id);
        if (request == null) {
            throw ApiException.fieldErrors(Map.of("value", "is required"));
        }
        return Envelope.ok(resolution(current.setOrgValue(id, name, request.value(), caller.id())));
    }

    @DELETE
    @Path("{id}/config/{name}")
    public Envelope resetConfig(@Context SecurityContext security, @PathParam("id") long id,
            @PathParam("name") String name) {
        Caller caller = Callers.requireAdmin(security);
        ScopedConfig current = settings();
        get(id);
        return Envelope.ok(resolution(current.resetOrgValue(id, name, caller.id())));
    }

    private Organisation get(long id) {
        return database.inTransaction(c -> require(c, id));
    }

    private ScopedConfig settings() {
        ScopedConfig current = settings;
        if (current == null) {
            throw ApiException.unavailable("AREA_UNAVAILABLE", "Settings are restarting; try again shortly");
        }
        return current;
    }

    private static Map<String, Object> configEntry(TierValue v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("value", v.value());
        m.put("value_json", json(v.value()));
        m.put("changed_at", v.changedAt());
        m.put("changed_by", v.changedBy());
        return m;
    }

    /** A setting as the organisation sees it: the effective value, where it comes from, and every tier. */
    private static Map<String, Object> resolution(Resolution r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("org_id", r.scope().orgId());
        m.put("value", r.value());
        m.put("source", r.source().name().toLowerCase(Locale.ROOT));
        Map<String, Object> tiers = new LinkedHashMap<>();
        for (Setting.Tier tier : List.of(Setting.Tier.ORG, Setting.Tier.SYSTEM, Setting.Tier.DEFAULT)) {
            tiers.put(tier.name().toLowerCase(Locale.ROOT), r.tier(tier).map(TierValue::value).orElse(null));
        }
        m.put("tiers", tiers);
        m.put("readonly", r.readonly());
        return m;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** An organisation as the API shows it, as a map so that answers can add to it. */
    static Map<String, Object> view(Organisation o) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", o.id());
        data.put("name", o.name());
        data.put("slug", o.slug());
        data.put("parent_id", o.parentId());
        data.put("status", o.status());
        data.put("customer_company_id", o.customerCompanyId());
        data.put("created_at", o.createdAt());
        data.put("changed_at", o.changedAt());
        return data;
    }

    private static Organisation require(Connection c, long id) throws SQLException {
        return OrganisationStore.get(c, id).orElseThrow(() -> ApiException.notFound("Organisation"));
    }

    private static Map<String, Object> member(Connection c, long orgId, long memberId) throws SQLException {
        List<Map<String, Object>> rows = Jdbc.rows(c, MEMBER_SELECT + " WHERE m.id = ? AND m.org_id = ?",
                Jdbc.params(memberId, orgId));
        if (rows.isEmpty()) {
            throw ApiException.notFound("Member");
        }
        return member(rows.get(0));
    }

    private static Map<String, Object> member(Map<String, Object> row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ((Number) row.get("id")).longValue());
        m.put("org_id", ((Number) row.get("org_id")).longValue());
        boolean agent = row.get("user_id") != null;
        m.put("kind", agent ? "agent" : "customer");
        m.put("user_id", agent ? ((Number) row.get("user_id")).longValue() : null);
        m.put("login", agent ? row.get("agent_login") : row.get("customer_login"));
        m.put("customer_login", row.get("customer_login"));
        m.put("role", row.get("role"));
        m.put("is_default", ((Number) row.get("is_default")).intValue() == 1);
        m.put("created_at", row.get("create_time"));
        return m;
    }

    private static void clearDefault(Connection c, Long agent, String customer) throws SQLException {
        if (agent != null) {
            Jdbc.update(c, "UPDATE gk_user_organisation SET is_default = 0 WHERE user_id = ?", List.of(agent));
        } else {
            Jdbc.update(c, "UPDATE gk_user_organisation SET is_default = 0 WHERE customer_login = ?",
                    List.of(customer));
        }
    }

    private static long count(Connection c, String sql, Object param) throws SQLException {
        return ((Number) Jdbc.rows(c, sql, List.of(param)).get(0).get("n")).longValue();
    }

    private static String name(String value, boolean required, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.put("name", "is required");
            }
            return null;
        }
        String v = value.strip();
        if (v.length() > NAME_MAX) {
            errors.put("name", "is longer than " + NAME_MAX + " characters");
        } else if (v.chars().anyMatch(ch -> ch < 0x20)) {
            errors.put("name", "contains control characters");
        }
        return v;
    }

    private static String slug(String value, Map<String, String> errors) {
        if (value == null || !SLUG.matcher(value).matches()) {
            errors.put("slug", "lower-case letters, digits and inner hyphens, 1 to 100 characters");
        }
        return value;
    }

    /** A slug suggested from a name: "ACME Europe GmbH" becomes "acme-europe-gmbh". */
    static String slugOf(String name) {
        String s = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (s.length() > 100) {
            s = s.substring(0, 100).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "org" : s;
    }

    private static String status(String value, Map<String, String> errors) {
        if (!STATUSES.contains(value)) {
            errors.put("status", "must be active, suspended or archived");
        }
        return value;
    }

    private static String role(String value, Map<String, String> errors) {
        if (!Memberships.ROLES.contains(value)) {
            errors.put("role", "must be member, admin or owner");
        }
        return value;
    }

    private static Long parent(Connection c, long id, Long parent, Map<String, String> errors) throws SQLException {
        if (parent == null || parent == 0) {
            return null;
        }
        Map<Long, Long> parents = new HashMap<>();
        boolean exists = false;
        // the whole tree is locked, so two instances cannot each close half of a loop at the same time
        for (Map<String, Object> row : Jdbc.rows(c, "SELECT id, parent_id FROM gk_organisation FOR UPDATE",
                List.of())) {
            long rowId = ((Number) row.get("id")).longValue();
            exists |= rowId == parent;
            if (row.get("parent_id") != null) {
                parents.put(rowId, ((Number) row.get("parent_id")).longValue());
            }
        }
        if (!exists) {
            errors.put("parent_id", "no such organisation");
        } else if (id != 0 && Memberships.wouldLoop(id, parent, parents)) {
            errors.put("parent_id", "an organisation cannot be its own ancestor");
        }
        return parent;
    }

    private static String company(Connection c, String company, Map<String, String> errors) throws SQLException {
        if (company == null || company.isBlank()) {
            return null;
        }
        if (count(c, "SELECT COUNT(*) AS n FROM customer_company WHERE customer_id = ?", company) == 0) {
            errors.put("customer_company_id", "no such customer company");
        }
        return company;
    }

    /** Runs a write; a duplicate slug, member or grant is 409 rather than a database error. */
    private static <T> T write(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw ApiException.conflict("DUPLICATE", "That slug, membership or grant exists already");
            }
            throw e;
        }
    }

    private void publish(String type, Organisation o, Caller caller) {
        publish(type, Map.of("org_id", o.id(), "slug", o.slug()), caller);
    }

    private void publish(String type, Map<String, Object> data, Caller caller) {
        DomainEvents current = events;
        if (current != null) {
            Map<String, Object> event = new HashMap<>(data);
            event.put("changed_by", caller.id());
            current.publish(type, event);
        }
    }
}
