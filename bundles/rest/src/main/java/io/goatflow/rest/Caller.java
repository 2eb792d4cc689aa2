package io.goatflow.rest;

import java.security.Principal;

/**
 * Who is calling: an authenticated agent or customer, as resolved by the authentication filter. For customers,
 * {@code login} is the customer login that tickets refer to and {@code customerId} their company (may be null).
 */
public record Caller(long id, String login, Kind kind, boolean admin, long sessionId, String customerId)
        implements Principal {

    public enum Kind { AGENT, CUSTOMER }

    /** An agent (agents belong to no customer company). */
    public Caller(long id, String login, Kind kind, boolean admin, long sessionId) {
        this(id, login, kind, admin, sessionId, null);
    }

    public boolean isAgent() {
        return kind == Kind.AGENT;
    }

    public boolean isCustomer() {
        return kind == Kind.CUSTOMER;
    }

    @Override
    public String getName() {
        return login;
    }
}
