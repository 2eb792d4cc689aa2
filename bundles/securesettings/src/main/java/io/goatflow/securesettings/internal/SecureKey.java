package io.goatflow.securesettings.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key with its id: the first 16 hex characters of the SHA-256 of the key bytes. The id may be shown and
 * stored (it tells which key sealed a row); the key never is: {@link #toString()} names only the id.
 */
final class SecureKey {
    static final int KEY_BYTES = 32;
    static final int ID_CHARS = 16;

    private final String id;
    private final SecretKey key;

    private SecureKey(byte[] material) {
        if (material.length != KEY_BYTES) {
            throw new IllegalArgumentException("A secure key has " + KEY_BYTES + " bytes, not " + material.length);
        }
        this.id = idOf(material);
        this.key = new SecretKeySpec(material, "AES");
    }

    /** A key from its 32 bytes (copied; the caller may wipe its array). */
    static SecureKey of(byte[] material) {
        return new SecureKey(material);
    }

    /**
     * A key written as text: 64 hex characters or base64 (standard or URL-safe, padding optional) of 32 bytes;
     * surrounding white space is ignored. Empty when the text is neither: callers report that without repeating
     * the text, which may be a real key with a typo.
     */
    static Optional<SecureKey> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        byte[] material = null;
        try {
            if (trimmed.length() == 2 * KEY_BYTES && trimmed.chars().allMatch(SecureKey::isHexDigit)) {
                material = HexFormat.of().parseHex(trimmed);
            } else if (trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0) {
                material = Base64.getUrlDecoder().decode(trimmed);
            } else {
                material = Base64.getDecoder().decode(trimmed);
            }
            return material.length == KEY_BYTES ? Optional.of(new SecureKey(material)) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        } finally {
            if (material != null) {
                Arrays.fill(material, (byte) 0);
            }
        }
    }

    /** The text form written to generated key files (base64, as {@link #parse} and the environment accept). */
    static byte[] encode(byte[] material) {
        return (Base64.getEncoder().encodeToString(material) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static String idOf(byte[] material) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material);
            return HexFormat.of().formatHex(digest).substring(0, ID_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecureKey k && k.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "SecureKey[" + id + "]";
    }
}
