package io.goatflow.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PkceTest {
    /** RFC 7636 appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void s256MatchesTheRfcVector() {
        assertEquals(CHALLENGE, Pkce.challenge(VERIFIER, Pkce.Method.S256));
        assertTrue(Pkce.verify(VERIFIER, CHALLENGE, Pkce.Method.S256));
        assertFalse(Pkce.verify(VERIFIER, CHALLENGE.replace('E', 'F'), Pkce.Method.S256));
        assertFalse(Pkce.verify(VERIFIER.replace('d', 'e'), CHALLENGE, Pkce.Method.S256));
        assertFalse(Pkce.verify(VERIFIER, CHALLENGE, Pkce.Method.PLAIN), "an S256 challenge is not a plain one");
        assertFalse(Pkce.verify(VERIFIER, VERIFIER, Pkce.Method.S256), "a plain challenge is not an S256 one");
    }

    @Test
    void plainComparesTheVerifierItself() {
        assertTrue(Pkce.verify(VERIFIER, VERIFIER, Pkce.Method.PLAIN));
        assertFalse(Pkce.verify(VERIFIER, VERIFIER.substring(1) + "x", Pkce.Method.PLAIN));
    }

    @Test
    void methodsByNameAndMissingMeansPlain() {
        assertEquals(Pkce.Method.S256, Pkce.Method.of("S256").orElseThrow());
        assertEquals(Pkce.Method.PLAIN, Pkce.Method.of("plain").orElseThrow());
        assertEquals(Pkce.Method.PLAIN, Pkce.Method.of(null).orElseThrow());
        assertTrue(Pkce.Method.of("s256").isEmpty());
        assertTrue(Pkce.Method.of("SHA512").isEmpty());
    }

    @Test
    void malformedVerifiersAndChallengesNeverVerify() {
        String tooShort = "a".repeat(42);
        String tooLong = "a".repeat(129);
        assertFalse(Pkce.verify(tooShort, tooShort, Pkce.Method.PLAIN));
        assertFalse(Pkce.verify(tooLong, tooLong, Pkce.Method.PLAIN));
        assertTrue(Pkce.verify("a".repeat(43), "a".repeat(43), Pkce.Method.PLAIN));
        assertTrue(Pkce.verify("a".repeat(128), "a".repeat(128), Pkce.Method.PLAIN));
        String bad = VERIFIER.substring(0, 42) + "+";
        assertFalse(Pkce.verify(bad, bad, Pkce.Method.PLAIN));
        assertFalse(Pkce.verify(null, CHALLENGE, Pkce.Method.S256));
        assertFalse(Pkce.verify(VERIFIER, null, Pkce.Method.S256));
        assertFalse(Pkce.verify(VERIFIER, CHALLENGE, null));
        assertFalse(Pkce.verify(VERIFIER, "", Pkce.Method.S256));
        assertThrows(IllegalArgumentException.class, () -> Pkce.challenge("short", Pkce.Method.S256));
    }
}
