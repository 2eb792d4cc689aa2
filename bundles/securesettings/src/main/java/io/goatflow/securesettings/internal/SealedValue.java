package io.goatflow.securesettings.internal;

import java.util.Base64;

/**
 * A value as stored: the id of the key that sealed it, the 12-byte nonce and the ciphertext with its 16-byte GCM
 * tag, both as base64 text (the column form). Holds no plaintext.
 */
record SealedValue(String keyId, String nonce, String ciphertext) {

    static SealedValue of(String keyId, byte[] nonce, byte[] ciphertext) {
        return new SealedValue(keyId, Base64.getEncoder().encodeToString(nonce),
                Base64.getEncoder().encodeToString(ciphertext));
    }

    /** @throws IllegalArgumentException when a column does not hold base64 (a damaged row) */
    byte[] nonceBytes() {
        return Base64.getDecoder().decode(nonce);
    }

    /** @throws IllegalArgumentException when a column does not hold base64 (a damaged row) */
    byte[] ciphertextBytes() {
        return Base64.getDecoder().decode(ciphertext);
    }
}
