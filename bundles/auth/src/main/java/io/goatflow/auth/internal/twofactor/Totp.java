package io.goatflow.auth.internal.twofactor;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords (HOTP of RFC 4226 over 30-second steps). GoatFlow uses HMAC-SHA1 with 6
 * digits, which every authenticator app reads from an {@code otpauth://} URI; the other algorithms and lengths are
 * here for the RFC's test vectors.
 */
public final class Totp {
    public static final int STEP_SECONDS = 30;
    /** Steps accepted either side of now, for clocks that drift and codes typed slowly. */
    public static final int WINDOW = 1;

    private final String algorithm;
    private final int digits;

    public Totp(String algorithm, int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("6 to 8 digits");
        }
        this.algorithm = algorithm;
        this.digits = digits;
    }

    /** The configuration every authenticator app understands. */
    public static Totp standard() {
        return new Totp("HmacSHA1", 6);
    }

    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of one time step, zero-padded to the configured length. */
    public String code(byte[] secret, long step) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, "RAW"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            int modulus = (int) Math.pow(10, digits);
            String code = Integer.toString(binary % modulus);
            return "0".repeat(digits - code.length()) + code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JRE", e);
        }
    }

    /**
     * The step {@code code} belongs to within {@link #WINDOW} steps of {@code now}, or -1. Every step of the window
     * is computed and compared in constant time, so the answer takes the same time whichever step (if any) matches.
     */
    public long matchingStep(byte[] secret, String code, Instant now) {
        if (code == null || code.length() != digits || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long current = step(now);
        long found = -1;
        byte[] given = code.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (long s = current - WINDOW; s <= current + WINDOW; s++) {
            byte[] expected = code(secret, s).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given) && found < 0) {
                found = s;
            }
        }
        return found;
    }
}
