package io.goatflow.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * RFC 7636 Proof Key for Code Exchange, for every authorization-code flow GoatFlow takes part in (its own OAuth2
 * endpoints and the SSO logins it starts). Verifiers and challenges are checked for the RFC's alphabet and length
 * before anything is compared, and the comparison takes constant time.
 */
public final class Pkce {
    /** {@code code_challenge_method} values. {@code plain} only for clients that cannot hash (RFC 7636 4.2). */
    public enum Method {
        PLAIN("plain"), S256("S256");

        private final String wire;

        Method(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** The method named on the wire; a missing method is {@code plain} (RFC 7636 4.3); else empty. */
        public static java.util.Optional<Method> of(String name) {
            if (name == null || name.isEmpty()) {
                return java.util.Optional.of(PLAIN);
            }
            for (Method m : values()) {
                if (m.wire.equals(name)) {
                    return java.util.Optional.of(m);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** unreserved characters, 43 to 128 of them (RFC 7636 4.1). */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private Pkce() {
    }

    /** Whether a string is a well-formed code verifier (and so also a well-formed plain challenge). */
    public static boolean wellFormed(String verifierOrChallenge) {
        return verifierOrChallenge != null && VERIFIER.matcher(verifierOrChallenge).matches();
    }

    /** The challenge of {@code verifier} under {@code method}. */
    public static String challenge(String verifier, Method method) {
        if (!wellFormed(verifier)) {
            throw new IllegalArgumentException("A code verifier has 43 to 128 characters of [A-Za-z0-9._~-]");
        }
        if (method == Method.PLAIN) {
            return verifier;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Whether {@code verifier} answers {@code challenge} made with {@code method}; false for anything malformed. */
    public static boolean verify(String verifier, String challenge, Method method) {
        if (!wellFormed(verifier) || !wellFormed(challenge) || method == null) {
            return false;
        }
        return MessageDigest.isEqual(challenge(verifier, method).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
