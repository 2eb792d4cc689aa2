package io.goatflow.securesettings.internal;

/**
 * The keys cannot be set up as configured (a malformed key, an unreadable key file). The message says what to fix
 * and names files and variables, never key material.
 */
final class KeyConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyConfigurationException(String message) {
        super(message);
    }

    KeyConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
