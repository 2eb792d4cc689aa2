package io.goatflow.persistence;

/**
 * Outcome of {@link Database#ping}: whether the database answered within the timeout, how long it took, and
 * why not when it did not (a short, log-safe message, never credentials).
 */
public record DatabaseStatus(boolean up, DatabaseKind kind, long latencyMillis, String error) {
}
