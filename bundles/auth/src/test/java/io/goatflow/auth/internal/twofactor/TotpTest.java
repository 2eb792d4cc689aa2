package io.goatflow.auth.internal.twofactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {
    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 appendix B: every row of the table. */
    @ParameterizedTest
    @CsvSource({
        "59, 94287082, 46119246, 90693936",
        "1111111109, 07081804, 68084774, 25091201",
        "1111111111, 14050471, 67062674, 99943326",
        "1234567890, 89005924, 91819424, 93441116",
        "2000000000, 69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238Vectors(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(time));
        assertEquals(sha1, new Totp("HmacSHA1", 8).code(SHA1_SEED, step));
        assertEquals(sha256, new Totp("HmacSHA256", 8).code(SHA256_SEED, step));
        assertEquals(sha512, new Totp("HmacSHA512", 8).code(SHA512_SEED, step));
    }

    /** RFC 4226 appendix D: HOTP values 0..9 (TOTP is HOTP of the step), 6 digits as apps show them. */
    @Test
    void rfc4226Vectors() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489"};
        for (int counter = 0; counter < expected.length; counter++) {
            assertEquals(expected[counter], Totp.standard().code(SHA1_SEED, counter));
        }
    }

    @Test
    void acceptsOneStepEitherSideAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_700_000_015L);
        long step = Totp.step(now);
        Totp totp = Totp.standard();
        assertEquals(step, totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step), now));
        assertEquals(step - 1, totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step - 1), now));
        assertEquals(step + 1, totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step + 1), now));
        assertEquals(-1, totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step - 2), now));
        assertEquals(-1, totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step + 2), now));
        assertEquals(-1, totp.matchingStep(SHA1_SEED, "12345", now));
        assertEquals(-1, totp.matchingStep(SHA1_SEED, "12345a", now));
        assertEquals(-1, totp.matchingStep(SHA1_SEED, null, now));
    }

    @Test
    void base32RoundTripsAndMatchesRfc4648() {
        assertEquals("MZXW6YTBOI", Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals("foobar".getBytes(StandardCharsets.US_ASCII), Base32.decode("mzxw 6ytb oi======"));
        byte[] twenty = new byte[20];
        for (int i = 0; i < twenty.length; i++) {
            twenty[i] = (byte) (i * 37);
        }
        assertArrayEquals(twenty, Base32.decode(Base32.encode(twenty)));
        assertEquals(32, Base32.encode(twenty).length());
    }
}
