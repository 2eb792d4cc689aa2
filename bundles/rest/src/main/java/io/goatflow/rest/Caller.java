package io.goatflow.rest;

import java.security.Principal;

/**
 * Who is calling: an authenticated agent or customer, as resolved by the authentication filter. For customers,
 * {@code login} is the customer login that tickets refer to and {@code customerId} their company (may be null).
 * {@code orgId} is the organisation the caller acts in (see {@link ActiveOrganisation}): every org-aware read and
 * write of the request is limited to it.
 */
public record Caller(long id, String login, Kind kind, boolean admin, long sessionId, String customerId, long orgId)
        implements Principal {

    /** The organisation of callers when there are no organisations, or the account belongs to none. */
    public static final long NO_ORG = 0;
    /** The organisation of callers whose organisations are all suspended or archived: it owns no rows. */
    public static final long LOCKED_OUT = -1;

    public enum Kind { AGENT, CUSTOMER }

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
        return new Caller(id, login, kind, admin, sessionId, customerId, org);
    }

    @Override
    public String getName() {
        return login;
    }
}
