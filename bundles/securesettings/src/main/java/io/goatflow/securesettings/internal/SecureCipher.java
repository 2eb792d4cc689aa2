package io.goatflow.securesettings.internal;

import io.goatflow.securesettings.SecureValueUnreadableException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a fresh random 12-byte nonce per seal and a 128-bit tag; the row identity is the associated
 * data. A random nonce is safe here: the number of writes under one key stays far below the 2^32 at which random
 * 96-bit nonces start to risk a collision, and rotation starts a new key anyway.
 */
final class SecureCipher {
    static final String TRANSFORMATION = "AES/GCM/NoPadding";
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private final SecureRandom random;

    SecureCipher(SecureRandom random) {
        this.random = random;
    }

    SealedValue seal(SecureKey key, RowIdentity row, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] clear = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            // a Cipher per call: instances are not thread-safe, and GCM refuses to reuse one for a second encryption
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(row.associatedData());
            return SealedValue.of(key.id(), nonce, cipher.doFinal(clear));
        } catch (GeneralSecurityException e) {
            // only a runtime without AES/GCM gets here; the exception names the algorithm, not the data
            throw new IllegalStateException("AES-GCM encryption is not available: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * The plaintext of {@code sealed}, which must have been sealed with {@code key} for {@code row}.
     *
     * @throws SecureValueUnreadableException when the tag check fails or the stored form is damaged
     */
    String open(SecureKey key, RowIdentity row, SealedValue sealed) {
        byte[] nonce;
        byte[] ciphertext;
        try {
            nonce = sealed.nonceBytes();
            ciphertext = sealed.ciphertextBytes();
        } catch (IllegalArgumentException notBase64) {
            throw unreadable(row, sealed, "the stored value is damaged (not base64)");
        }
        if (nonce.length != NONCE_BYTES || ciphertext.length < TAG_BITS / 8) {
            throw unreadable(row, sealed, "the stored value is damaged (bad nonce or ciphertext length)");
        }
        byte[] clear = null;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(row.associatedData());
            clear = cipher.doFinal(ciphertext);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(clear)).toString();
        } catch (AEADBadTagException e) {
            // deliberately without the cause's details: nothing about the data is worth repeating
            throw unreadable(row, sealed, "the authentication tag does not match (wrong key, or the ciphertext, "
                    + "nonce or row identity was changed)");
        } catch (CharacterCodingException e) {
            throw unreadable(row, sealed, "the decrypted value is not UTF-8");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption is not available: " + e.getClass().getSimpleName(), e);
        } finally {
            if (clear != null) {
                Arrays.fill(clear, (byte) 0);
            }
        }
    }

    private static SecureValueUnreadableException unreadable(RowIdentity row, SealedValue sealed, String reason) {
        return new SecureValueUnreadableException(row.orgId(), row.namespace(), row.name(), sealed.keyId(), reason);
    }
}
