package io.goatflow.rest;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns the credential of a request into a {@link Caller}. Implemented by the auth area; the REST platform's one
 * authentication filter calls it for every request that carries a credential.
 */
@ConsumerType
public interface CallerResolver {

    /** The caller a bearer token stands for, or empty when the token is unknown, expired or revoked. */
    Optional<Caller> resolveBearerToken(String token);

    /**
     * As {@link #resolveBearerToken(String)}, for a request from {@code clientIp}; resolvers that keep a credential's
     * last use (personal access tokens) record it.
     */
    default Optional<Caller> resolveBearerToken(String token, String clientIp) {
        return resolveBearerToken(token);
    }
}
