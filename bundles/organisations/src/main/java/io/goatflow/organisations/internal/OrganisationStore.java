package io.goatflow.organisations.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.organisations.Organisation;
import io.goatflow.organisations.Organisations;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ActiveOrganisation;
import io.goatflow.rest.Caller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Organisations and memberships in {@code gk_organisation} and {@code gk_user_organisation}, read from the database
 * on every request (no process-local copy), so a change on one instance holds on the next request everywhere.
 */
@Component(service = {Organisations.class, ActiveOrganisation.class, OrganisationStore.class})
public final class OrganisationStore implements Organisations, ActiveOrganisation {
    static final String SELECT = "SELECT o.id, o.name, o.slug, o.parent_id, o.status, o.customer_company_id,"
            + " o.create_time, o.change_time FROM gk_organisation o";

    private final Database database;
    private final Permissions permissions;

    /** An organisation an account may act in, as the org switcher lists it. */
    record Reachable(Organisation organisation, String role, boolean isDefault, boolean inherited) {
    }

    @Activate
    public OrganisationStore(@Reference Database database, @Reference Permissions permissions,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.organisations)") SchemaReady schema) {
        this.database = database;
        this.permissions = permissions;
    }

    @Override
    public long resolve(long accountId, Caller.Kind kind, String login, String customerId, long requested) {
        return database.inTransaction(c -> {
            List<Memberships.Membership> memberships = memberships(c, accountId, kind, login, customerId);
            if (memberships.isEmpty()) {
                return Caller.NO_ORG;
            }
            Map<Long, String> status = new HashMap<>();
            List<Memberships.Node> tree = tree(c, status);
            return Memberships.active(Memberships.reachable(memberships, tree), status, requested);
        });
    }

    @Override
    public java.util.Set<Long> organisationsOfCustomer(String login, String customerId) {
        return database.inTransaction(c -> {
            java.util.Set<Long> orgs = new java.util.TreeSet<>();
            for (Map<String, Object> row : Jdbc.rows(c, "SELECT org_id AS id FROM gk_user_organisation"
                    + " WHERE customer_login = ? UNION SELECT id FROM gk_organisation WHERE customer_company_id = ?",
                    Jdbc.params(login, customerId))) {
                orgs.add(((Number) row.get("id")).longValue());
            }
            return orgs;
        });
    }

    /** The organisations the caller may act in, in the order the switcher shows them. */
    List<Reachable> reachable(Caller caller) {
        return database.inTransaction(c -> {
            List<Memberships.Membership> memberships = memberships(c, caller.id(), caller.kind(), caller.login(),
                    caller.customerId());
            if (memberships.isEmpty()) {
                return List.<Reachable>of();
            }
            // one read of the organisations gives both the tree and what the switcher shows
            Map<Long, Organisation> all = new HashMap<>();
            List<Memberships.Node> tree = new ArrayList<>();
            for (Organisation o : list(c, "", List.of())) {
                all.put(o.id(), o);
                tree.add(new Memberships.Node(o.id(), o.parentId(), o.status()));
            }
            List<Reachable> result = new ArrayList<>();
            for (Memberships.Reach r : Memberships.reachable(memberships, tree).values()) {
                Organisation o = all.get(r.orgId());
                if (o != null && !Organisation.ARCHIVED.equals(o.status())) {
                    result.add(new Reachable(o, r.role(), r.isDefault(), r.inherited()));
                }
            }
            result.sort((a, b) -> a.organisation().name().compareToIgnoreCase(b.organisation().name()));
            return result;
        });
    }

    @Override
    public Optional<Organisation> get(long id) {
        return database.inTransaction(c -> get(c, id));
    }

    static Optional<Organisation> get(Connection c, long id) throws SQLException {
        List<Organisation> found = list(c, " WHERE o.id = ?", List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public boolean mayUsePlugin(Caller caller, String plugin) {
        if (caller == null || caller.orgId() == Caller.NO_ORG) {
            return true;
        }
        if (caller.orgId() < 0) {
            return false;
        }
        List<Long> groups = database.inTransaction(c -> {
            List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT plugin_name, group_id FROM gk_org_plugin_access"
                    + " WHERE org_id = ?", List.of(caller.orgId()));
            if (rows.isEmpty()) {
                return null;
            }
            List<Long> ids = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                if (plugin.equals(row.get("plugin_name"))) {
                    ids.add(((Number) row.get("group_id")).longValue());
                }
            }
            return ids;
        });
        if (groups == null || groups.contains(0L)) {
            return true;
        }
        // customers hold no group permissions, so group grants are for agents only
        return caller.isAgent() && groups.stream().anyMatch(g -> permissions.groupsWith(caller.id(), Permissions.RO)
                .contains(g));
    }

    static List<Organisation> list(Connection c, String where, List<Object> params) throws SQLException {
        List<Organisation> result = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(SELECT + where)) {
            Jdbc.bind(q, params);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.add(new Organisation(rs.getLong("id"), rs.getString("name"), rs.getString("slug"),
                            Jdbc.nullableLong(rs, "parent_id"), rs.getString("status"),
                            rs.getString("customer_company_id"), Jdbc.instant(rs, "create_time"),
                            Jdbc.instant(rs, "change_time")));
                }
            }
        }
        return result;
    }

    private static List<Memberships.Membership> memberships(Connection c, long accountId, Caller.Kind kind,
            String login, String customerId) throws SQLException {
        List<Memberships.Membership> result = new ArrayList<>();
        String sql = kind == Caller.Kind.AGENT
                ? "SELECT org_id, role, is_default FROM gk_user_organisation WHERE user_id = ? ORDER BY org_id"
                : "SELECT org_id, role, is_default FROM gk_user_organisation WHERE customer_login = ? ORDER BY org_id";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (kind == Caller.Kind.AGENT) {
                q.setLong(1, accountId);
            } else {
                q.setString(1, login);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.add(new Memberships.Membership(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1));
                }
            }
        }
        if (kind == Caller.Kind.CUSTOMER && customerId != null && !customerId.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id FROM gk_organisation WHERE customer_company_id = ?")) {
                q.setString(1, customerId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        result.add(new Memberships.Membership(rs.getLong(1), "member", false));
                    }
                }
            }
        }
        return result;
    }

    private static List<Memberships.Node> tree(Connection c, Map<Long, String> status) throws SQLException {
        List<Memberships.Node> tree = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, parent_id, status FROM gk_organisation");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Memberships.Node n = new Memberships.Node(rs.getLong(1), Jdbc.nullableLong(rs, "parent_id"),
                        rs.getString(3));
                tree.add(n);
                status.put(n.id(), n.status());
            }
        }
        return tree;
    }
}
