package io.goatflow.rest;

import java.security.Principal;

/** Who is calling: an authenticated agent or customer, as resolved by the authentication filter. */
public record Caller(long id, String login, Kind kind, boolean admin, long sessionId) implements Principal {

    public enum Kind { AGENT, CUSTOMER }

    @Override
    public String getName() {
        return login;
    }
}
