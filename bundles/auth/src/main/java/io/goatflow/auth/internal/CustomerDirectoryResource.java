package io.goatflow.auth.internal;

import static io.goatflow.auth.internal.DirectoryResource.count;
import static io.goatflow.auth.internal.DirectoryResource.prefixLike;
import static io.goatflow.auth.internal.DirectoryResource.text;
import static io.goatflow.auth.internal.DirectoryResource.unique;

import io.goatflow.auth.PasswordHashing;
import io.goatflow.auth.Permissions;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ActiveOrganisation;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Callers;
import io.goatflow.rest.Envelope;
import io.goatflow.rest.PageRequest;
import io.goatflow.rest.RestApi;
import io.goatflow.sysconfig.ConfigGet;
import java.time.Instant;
import java.util.ArrayList;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Customers: {@code /api/v1/customer-companies} and {@code /api/v1/customer-users}. Every agent may read them;
 * admins and agents holding rw in the group named by {@code Customer::ManagementGroup} (default {@code users})
 * may write. DELETE marks a record invalid (and ends the customer's sessions); tickets keep referring to it.
 */
@Component(service = CustomerDirectoryResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@JSONRequired
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public final class CustomerDirectoryResource {
    static final String USER_SELECT = "SELECT u.id, u.login, u.email, u.customer_id, u.title, u.first_name,"
            + " u.last_name, u.phone, u.mobile, u.street, u.zip, u.city, u.country, u.comments, u.valid_id,"
            + " u.create_time, u.change_time FROM customer_user u";
    static final String COMPANY_SELECT = "SELECT c.customer_id, c.name, c.street, c.zip, c.city, c.country, c.url,"
            + " c.comments, c.valid_id, c.create_time, c.change_time FROM customer_company c";

    private final Database database;
    private final PasswordHashing passwords;
    private final Permissions permissions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigGet config;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ActiveOrganisation organisations;

    /** Body of a customer company write (customer_id only on create). */
    public record CompanyRequest(String customer_id, String name, String street, String zip, String city,
            String country, String url, String comments, Boolean valid) {
    }

    /** Body of a customer user write. */
    public record CustomerUserRequest(String login, String email, String customer_id, String password, String title,
            String first_name, String last_name, String phone, String mobile, String street, String zip, String city,
            String country, String comments, Boolean valid) {
    }

    @Activate
    public CustomerDirectoryResource(@Reference Database database, @Reference PasswordHashing passwords,
            @Reference Permissions permissions,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
        this.passwords = passwords;
        this.permissions = permissions;
    }

    private Caller requireManager(SecurityContext security) {
        Caller caller = Callers.requireAgent(security);
        if (caller.admin()) {
            return caller;
        }
        ConfigGet current = config;
        String group = current == null ? "users" : current.string("Customer::ManagementGroup").orElse("users");
        boolean allowed = database.inTransaction(c -> Jdbc.rows(c, "SELECT id FROM groups WHERE name = ?",
                List.of(group))).stream().anyMatch(row -> permissions.has(caller.id(),
                        ((Number) row.get("id")).longValue(), Permissions.RW));
        if (!allowed) {
            throw new ApiException(403, "PERMISSION_DENIED", "You need rw in the group '" + group
                    + "' to change customers");
        }
        return caller;
    }

    // ------------------------------------------------------------------ companies

    @GET
    @Path("customer-companies")
    public Envelope companies(@Context SecurityContext security, @QueryParam("search") String search,
            @QueryParam("page") String page, @QueryParam("per_page") String perPage) {
        Callers.requireAgent(security);
        PageRequest paging = PageRequest.of(page, perPage, 50);
        List<Object> params = new ArrayList<>();
        String where = "";
        if (search != null && !search.isBlank()) {
            where = " WHERE LOWER(c.name) LIKE ? OR LOWER(c.customer_id) LIKE ?";
            params.add(prefixLike(search));
            params.add(prefixLike(search));
        }
        String filter = where;
        return database.inTransaction(c -> {
            long total = count(c, "SELECT COUNT(*) FROM customer_company c" + filter, params);
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.perPage());
            pageParams.add(paging.offset());
            return Envelope.page(Jdbc.rows(c, COMPANY_SELECT + filter + " ORDER BY c.name LIMIT ? OFFSET ?",
                    pageParams), paging.pagination(total));
        });
    }

    @GET
    @Path("customer-companies/{id}")
    public Envelope company(@Context SecurityContext security, @PathParam("id") String id) {
        Callers.requireAgent(security);
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, COMPANY_SELECT + " WHERE c.customer_id = ?",
                List.of(id))).stream().findFirst().orElseThrow(() -> ApiException.notFound("Customer company")));
    }

    @POST
    @Path("customer-companies")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createCompany(@Context SecurityContext security, CompanyRequest r) {
        Caller caller = requireManager(security);
        if (r == null) {
            throw ApiException.validation("A body is required");
        }
        String id = text("customer_id", r.customer_id(), 150, true);
        Instant now = Instant.now();
        unique(() -> database.inTransaction(c -> Jdbc.update(c, "INSERT INTO customer_company (customer_id, name,"
                + " street, zip, city, country, url, comments, valid_id, create_time, create_by, change_time,"
                + " change_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Jdbc.params(id,
                text("name", r.name(), 200, true), text("street", r.street(), 200, false),
                text("zip", r.zip(), 200, false), text("city", r.city(), 200, false),
                text("country", r.country(), 200, false), url(r.url()), text("comments", r.comments(), 250, false),
                Boolean.FALSE.equals(r.valid()) ? 2 : 1, now, caller.id(), now, caller.id()))),
                "A customer company with this id or name exists already");
        return Response.status(201).entity(company(security, id)).build();
    }

    @PUT
    @Path("customer-companies/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateCompany(@Context SecurityContext security, @PathParam("id") String id, CompanyRequest r) {
        Caller caller = requireManager(security);
        if (r == null) {
            throw ApiException.validation("A body is required");
        }
        if (r.customer_id() != null && !r.customer_id().equals(id)) {
            throw ApiException.validation("customer_id cannot be changed");
        }
        unique(() -> database.inTransaction(c -> {
            Map<String, Object> cur = Jdbc.rows(c, COMPANY_SELECT + " WHERE c.customer_id = ?", List.of(id)).stream()
                    .findFirst().orElseThrow(() -> ApiException.notFound("Customer company"));
            return Jdbc.update(c, "UPDATE customer_company SET name = ?, street = ?, zip = ?, city = ?, country = ?,"
                    + " url = ?, comments = ?, valid_id = ?, change_time = ?, change_by = ? WHERE customer_id = ?",
                    Jdbc.params(r.name() == null ? cur.get("name") : text("name", r.name(), 200, true),
                            keep(cur, "street", r.street(), 200), keep(cur, "zip", r.zip(), 200),
                            keep(cur, "city", r.city(), 200), keep(cur, "country", r.country(), 200),
                            r.url() == null ? cur.get("url") : url(r.url()), keep(cur, "comments", r.comments(), 250),
                            valid(cur, r.valid()), Instant.now(), caller.id(), id));
        }), "A customer company with this name exists already");
        return company(security, id);
    }

    @DELETE
    @Path("customer-companies/{id}")
    public Envelope deleteCompany(@Context SecurityContext security, @PathParam("id") String id) {
        return updateCompany(security, id, new CompanyRequest(null, null, null, null, null, null, null, null, false));
    }

    // ------------------------------------------------------------------ customer users

    @GET
    @Path("customer-users")
    public Envelope customers(@Context SecurityContext security, @QueryParam("search") String search,
            @QueryParam("customer_id") String customerId, @QueryParam("page") String page,
            @QueryParam("per_page") String perPage) {
        Callers.requireAgent(security);
        PageRequest paging = PageRequest.of(page, perPage, 50);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (search != null && !search.isBlank()) {
            where.append(" AND (LOWER(u.login) LIKE ? OR LOWER(u.email) LIKE ? OR LOWER(u.last_name) LIKE ?"
                    + " OR LOWER(u.first_name) LIKE ?)");
            for (int i = 0; i < 4; i++) {
                params.add(prefixLike(search));
            }
        }
        if (customerId != null && !customerId.isBlank()) {
            where.append(" AND u.customer_id = ?");
            params.add(customerId);
        }
        return database.inTransaction(c -> {
            long total = count(c, "SELECT COUNT(*) FROM customer_user u" + where, params);
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.perPage());
            pageParams.add(paging.offset());
            return Envelope.page(Jdbc.rows(c, USER_SELECT + where + " ORDER BY u.login LIMIT ? OFFSET ?", pageParams),
                    paging.pagination(total));
        });
    }

    @GET
    @Path("customer-users/{id}")
    public Envelope customer(@Context SecurityContext security, @PathParam("id") long id) {
        Callers.requireAgent(security);
        return Envelope.ok(database.inTransaction(c -> Jdbc.rows(c, USER_SELECT + " WHERE u.id = ?", List.of(id)))
                .stream().findFirst().orElseThrow(() -> ApiException.notFound("Customer user")));
    }

    @POST
    @Path("customer-users")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createCustomer(@Context SecurityContext security, CustomerUserRequest r) {
        Caller caller = requireManager(security);
        if (r == null) {
            throw ApiException.validation("A body is required");
        }
        String login = DirectoryResource.login(r.login());
        if (!otherOrganisations(caller, login, r.customer_id()).isEmpty()) {
            throw ApiException.fieldErrors(Map.of("customer_id", "this company belongs to another organisation"));
        }
        String hash = r.password() == null ? null : passwords.hash(DirectoryResource.password(r.password()));
        Instant now = Instant.now();
        long id = unique(() -> database.inTransaction(c -> {
            String company = company(c, r.customer_id());
            return Jdbc.insert(c, "INSERT INTO customer_user (login, email, customer_id, pw, title, first_name,"
                    + " last_name, phone, mobile, street, zip, city, country, comments, valid_id, create_time,"
                    + " create_by, change_time, change_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?)", Jdbc.params(login, email(r.email()), company, hash, text("title", r.title(), 50, false),
                    text("first_name", r.first_name(), 100, true), text("last_name", r.last_name(), 100, true),
                    text("phone", r.phone(), 150, false), text("mobile", r.mobile(), 150, false),
                    text("street", r.street(), 150, false), text("zip", r.zip(), 200, false),
                    text("city", r.city(), 200, false), text("country", r.country(), 200, false),
                    text("comments", r.comments(), 250, false), Boolean.FALSE.equals(r.valid()) ? 2 : 1, now,
                    caller.id(), now, caller.id()));
        }), "A customer user with this login exists already");
        return Response.status(201).entity(customer(security, id)).build();
    }

    @PUT
    @Path("customer-users/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Envelope updateCustomer(@Context SecurityContext security, @PathParam("id") long id,
            CustomerUserRequest r) {
        Caller caller = requireManager(security);
        if (r == null) {
            throw ApiException.validation("A body is required");
        }
        Map<String, Object> before = database.inTransaction(c -> Jdbc.rows(c, USER_SELECT + " WHERE u.id = ?",
                List.of(id))).stream().findFirst().orElseThrow(() -> ApiException.notFound("Customer user"));
        if (!otherOrganisations(caller, (String) before.get("login"), (String) before.get("customer_id")).isEmpty()) {
            // another organisation's customer does not exist for this manager
            throw ApiException.notFound("Customer user");
        }
        if (r.customer_id() != null && !otherOrganisations(caller, null, r.customer_id()).isEmpty()) {
            throw ApiException.fieldErrors(Map.of("customer_id", "this company belongs to another organisation"));
        }
        String hash = r.password() == null ? null : passwords.hash(DirectoryResource.password(r.password()));
        unique(() -> database.inTransaction(c -> {
            Map<String, Object> cur = Jdbc.rows(c, USER_SELECT + " WHERE u.id = ?", List.of(id)).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound("Customer user"));
            if (r.login() != null && !r.login().equals(cur.get("login"))) {
                // tickets refer to customers by login: a renamed login would orphan them (or hand them to a
                // later account with the old name)
                throw ApiException.validation("login cannot be changed; create a new customer user instead");
            }
            Jdbc.update(c, "UPDATE customer_user SET login = ?, email = ?, customer_id = ?, title = ?, first_name = ?,"
                    + " last_name = ?, phone = ?, mobile = ?, street = ?, zip = ?, city = ?, country = ?, comments = ?,"
                    + " valid_id = ?, change_time = ?, change_by = ? WHERE id = ?", Jdbc.params(
                    r.login() == null ? cur.get("login") : DirectoryResource.login(r.login()),
                    r.email() == null ? cur.get("email") : email(r.email()),
                    r.customer_id() == null ? cur.get("customer_id") : company(c, r.customer_id()),
                    keep(cur, "title", r.title(), 50),
                    r.first_name() == null ? cur.get("first_name") : text("first_name", r.first_name(), 100, true),
                    r.last_name() == null ? cur.get("last_name") : text("last_name", r.last_name(), 100, true),
                    keep(cur, "phone", r.phone(), 150), keep(cur, "mobile", r.mobile(), 150),
                    keep(cur, "street", r.street(), 150), keep(cur, "zip", r.zip(), 200),
                    keep(cur, "city", r.city(), 200), keep(cur, "country", r.country(), 200),
                    keep(cur, "comments", r.comments(), 250), valid(cur, r.valid()), Instant.now(), caller.id(), id));
            if (hash != null) {
                Jdbc.update(c, "UPDATE customer_user SET pw = ? WHERE id = ?", Jdbc.params(hash, id));
            }
            if (hash != null || Boolean.FALSE.equals(r.valid())) {
                Jdbc.update(c, "DELETE FROM gk_session WHERE user_id = ? AND user_kind = 'customer'", Jdbc.params(id));
            }
            return null;
        }), "A customer user with this login exists already");
        return customer(security, id);
    }

    @DELETE
    @Path("customer-users/{id}")
    public Envelope deleteCustomer(@Context SecurityContext security, @PathParam("id") long id) {
        return updateCustomer(security, id, new CustomerUserRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, false));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The organisations other than the manager's own that a customer (or a company) belongs to. Agents who are not
     * administrators change only customers of their own organisation (or of none): otherwise an agent could take over
     * another organisation's customer, or join it as a customer through its company.
     */
    private java.util.Set<Long> otherOrganisations(Caller caller, String login, String customerId) {
        if (caller.admin()) {
            return java.util.Set.of();
        }
        ActiveOrganisation current = organisations;
        if (current == null) {
            throw ApiException.unavailable("AREA_UNAVAILABLE", "Organisations are restarting; try again shortly");
        }
        java.util.Set<Long> orgs = new java.util.TreeSet<>(current.organisationsOfCustomer(login, customerId));
        orgs.remove(caller.orgId());
        return orgs;
    }

    private static String company(java.sql.Connection c, String customerId) throws java.sql.SQLException {
        String id = text("customer_id", customerId, 150, true);
        if (Jdbc.rows(c, "SELECT customer_id FROM customer_company WHERE customer_id = ?", List.of(id)).isEmpty()) {
            throw ApiException.validation("customer_id: no such customer company");
        }
        return id;
    }

    private static Object keep(Map<String, Object> current, String field, String value, int max) {
        return value == null ? current.get(field) : text(field, value, max, false);
    }

    private static int valid(Map<String, Object> current, Boolean valid) {
        return valid == null ? (Boolean.TRUE.equals(current.get("valid")) ? 1 : 2) : (valid ? 1 : 2);
    }

    static String email(String email) {
        String value = text("email", email, 150, true);
        if (!value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiException.validation("email is not a valid address");
        }
        return value;
    }

    private static String url(String url) {
        String value = text("url", url, 200, false);
        if (value != null && !value.matches("(?i)https?://\\S+")) {
            throw ApiException.validation("url must start with http:// or https://");
        }
        return value;
    }
}
