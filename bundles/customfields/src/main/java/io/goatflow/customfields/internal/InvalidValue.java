package io.goatflow.customfields.internal;

/** A value or configuration that does not fit its field; the message completes "field x …" for the caller. */
final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidValue(String message) {
        super(message, null, false, false);
    }
}
