package io.goatflow.rest;

import java.security.Principal;
import java.util.Set;

/**
 * Who is calling: an authenticated agent or customer, as resolved by the authentication filter. For customers,
 * {@code login} is the customer login that tickets refer to and {@code customerId} their company (may be null).
 * {@code orgId} is the organisation the caller acts in (see {@link ActiveOrganisation}): every org-aware read and
 * write of the request is limited to it. {@code scopes} is null for an interactive login session, and the scopes of
 * the personal access token for a token caller ({@link #SCOPE_TICKETS_READ}, ...); a token's {@code admin} is true
 * only when its owner is an administrator and it has {@link #SCOPE_ADMIN}.
 */
public record Caller(long id, String login, Kind kind, boolean admin, long sessionId, String customerId, long orgId,
        Set<String> scopes) implements Principal {

    /** The organisation of callers when there are no organisations, or the account belongs to none. */
    public static final long NO_ORG = 0;
    /** The organisation of callers whose organisations are all suspended or archived: it owns no rows. */
    public static final long LOCKED_OUT = -1;

    /** Scope of a token that reads (GET, HEAD). */
    public static final String SCOPE_TICKETS_READ = "tickets:read";
    /** Scope of a token that writes (and reads). */
    public static final String SCOPE_TICKETS_WRITE = "tickets:write";
    /** Scope of a token that may use administration routes (only tokens of administrators). */
    public static final String SCOPE_ADMIN = "admin:*";

    public enum Kind { AGENT, CUSTOMER }

    public Caller {
        scopes = scopes == null ? null : Set.copyOf(scopes);
    }

    /** A caller of an interactive login session. */
    public Caller(long id, String login, Kind kind, boolean admin, long sessionId, String customerId, long orgId) {
        this(id, login, kind, admin, sessionId, customerId, orgId, null);
    }

    /** A caller outside any organisation. */
    public Caller(long id, String login, Kind kind, boolean admin, long sessionId, String customerId) {
        this(id, login, kind, admin, sessionId, customerId, NO_ORG);
    }

    /** An agent (agents belong to no customer company) outside any organisation. */
    public Caller(long id, String login, Kind kind, boolean admin, long sessionId) {
        this(id, login, kind, admin, sessionId, null, NO_ORG);
    }

    public boolean isAgent() {
        return kind == Kind.AGENT;
    }

    public boolean isCustomer() {
        return kind == Kind.CUSTOMER;
    }

    /** The same caller acting in another organisation. */
    public Caller inOrg(long org) {
        return new Caller(id, login, kind, admin, sessionId, customerId, org, scopes);
    }

    /** Whether the caller authenticated with a personal access token rather than an interactive login. */
    public boolean isToken() {
        return scopes != null;
    }

    @Override
    public String getName() {
        return login;
    }
}
