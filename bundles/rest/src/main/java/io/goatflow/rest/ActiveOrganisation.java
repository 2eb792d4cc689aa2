package io.goatflow.rest;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides which organisation a request acts in. Implemented by the organisations area; the auth area asks it for
 * every request, so that a membership removed or an organisation suspended on one instance takes effect on the
 * next request on every instance (membership lives in the database, never in a session's memory).
 */
@ConsumerType
public interface ActiveOrganisation {

    /**
     * The organisation an account acts in: {@code requested} when it is an active organisation the account belongs
     * to; otherwise its default active organisation, then any active one; {@link Caller#NO_ORG} when the account
     * belongs to no organisation (always so while there are none); {@link Caller#LOCKED_OUT} when all its
     * organisations are suspended or archived.
     *
     * @param customerId the customer's company (customers of a company linked to an organisation belong to it);
     *        null for agents
     */
    long resolve(long accountId, Caller.Kind kind, String login, String customerId, long requested);

    /**
     * The organisations a customer belongs to: by membership of {@code login} (may be null) and through the
     * organisations linked to {@code customerId} (may be null).
     */
    default java.util.Set<Long> organisationsOfCustomer(String login, String customerId) {
        return java.util.Set.of();
    }
}
