package io.goatflow.auth;

import org.osgi.annotation.versioning.ProviderType;

/** Hashes and checks passwords (bcrypt, OTRS-compatible {@code $2a$/$2b$/$2y$} strings). */
@ProviderType
public interface PasswordHashing {
    /** Longest password bcrypt can take in full, in UTF-8 bytes; longer ones are refused, never truncated. */
    int MAX_PASSWORD_BYTES = 72;

    String hash(String password);

    /** Whether {@code password} matches {@code storedHash}; false for malformed hashes or over-long passwords. */
    boolean verify(String password, String storedHash);

    /**
     * Spends the time of one verification without a stored hash, so that an unknown login takes as long as a
     * wrong password and response times do not reveal which accounts exist.
     */
    void verifyNothing(String password);
}
