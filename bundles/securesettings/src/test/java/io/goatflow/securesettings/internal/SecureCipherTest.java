package io.goatflow.securesettings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.securesettings.SecureValueUnreadableException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecureCipherTest {
    private static final String SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    private final SecureCipher cipher = new SecureCipher(new SecureRandom());
    private final byte[] material = TestSupport.randomKeyBytes();
    private final SecureKey key = SecureKey.of(material);
    private final RowIdentity row = new RowIdentity(7, "stripe", "api_key");

    @Test
    void roundTrip() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        assertEquals(key.id(), sealed.keyId());
        assertEquals(SecureCipher.NONCE_BYTES, sealed.nonceBytes().length);
        // GCM: ciphertext = plaintext length + 16-byte tag
        assertEquals(SECRET.length() + 16, sealed.ciphertextBytes().length);
        assertEquals(SECRET, cipher.open(key, row, sealed));
    }

    @Test
    void roundTripOfNonAsciiAndEmptyValues() {
        for (String value : new String[] {"", "pässwörd-日本語-\uD83D\uDC10", "x".repeat(16 * 1024)}) {
            assertEquals(value, cipher.open(key, row, cipher.seal(key, row, value)));
        }
    }

    @Test
    void everyWriteGetsAFreshNonce() {
        Set<String> nonces = new HashSet<>();
        Set<String> ciphertexts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            SealedValue sealed = cipher.seal(key, row, SECRET);
            nonces.add(sealed.nonce());
            ciphertexts.add(sealed.ciphertext());
        }
        assertEquals(100, nonces.size(), "same plaintext twice must never reuse a nonce");
        assertEquals(100, ciphertexts.size(), "same plaintext twice must give different ciphertexts");
    }

    @Test
    void flippedCiphertextByteIsDetected() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        for (int position : new int[] {0, SECRET.length() / 2, SECRET.length() + 3}) { // data and tag bytes
            byte[] bytes = sealed.ciphertextBytes();
            bytes[position] ^= 0x01;
            SealedValue tampered = new SealedValue(sealed.keyId(), sealed.nonce(),
                    Base64.getEncoder().encodeToString(bytes));
            assertUnreadable(() -> cipher.open(key, row, tampered));
        }
    }

    @Test
    void flippedNonceByteIsDetected() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        byte[] nonce = sealed.nonceBytes();
        nonce[5] ^= (byte) 0x80;
        SealedValue tampered = new SealedValue(sealed.keyId(), Base64.getEncoder().encodeToString(nonce),
                sealed.ciphertext());
        assertUnreadable(() -> cipher.open(key, row, tampered));
    }

    @Test
    void ciphertextMovedToAnotherRowIsDetected() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        assertUnreadable(() -> cipher.open(key, new RowIdentity(8, "stripe", "api_key"), sealed));
        assertUnreadable(() -> cipher.open(key, new RowIdentity(0, "stripe", "api_key"), sealed));
        assertUnreadable(() -> cipher.open(key, new RowIdentity(7, "github", "api_key"), sealed));
        assertUnreadable(() -> cipher.open(key, new RowIdentity(7, "stripe", "webhook_secret"), sealed));
        // the separator keeps ("a", "b:c") and ("a:b", "c")-style shifts apart
        assertUnreadable(() -> cipher.open(key, new RowIdentity(7, "stripe", "api_key "), sealed));
    }

    @Test
    void wrongKeyIsDetected() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        SecureKey other = SecureKey.of(TestSupport.randomKeyBytes());
        SecureValueUnreadableException e = assertUnreadable(() -> cipher.open(other, row, sealed));
        assertEquals(key.id(), e.keyId(), "the exception names the key id the row was sealed with");
    }

    @Test
    void damagedStoredFormsAreTypedFailuresToo() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        assertUnreadable(() -> cipher.open(key, row, new SealedValue(sealed.keyId(), "not base64!", sealed.ciphertext())));
        assertUnreadable(() -> cipher.open(key, row, new SealedValue(sealed.keyId(), "AAAA", sealed.ciphertext())));
        assertUnreadable(() -> cipher.open(key, row, new SealedValue(sealed.keyId(), sealed.nonce(), "AAAA")));
    }

    @Test
    void failuresNeverCarryThePlaintextOrTheKey() {
        SealedValue sealed = cipher.seal(key, row, SECRET);
        SecureValueUnreadableException e = assertUnreadable(
                () -> cipher.open(SecureKey.of(TestSupport.randomKeyBytes()), row, sealed));
        String message = e.getMessage();
        assertFalse(message.contains(SECRET));
        assertFalse(message.contains(TestSupport.hex(material)));
        assertFalse(message.contains(Base64.getEncoder().encodeToString(material)));
        assertTrue(message.contains("stripe/api_key"), message);
        assertEquals(null, e.getCause(), "no provider exception with internals attached");
    }

    @Test
    void valueHoldingTypesDoNotPrintSecrets() {
        String hexKey = TestSupport.hex(material);
        assertFalse(key.toString().contains(hexKey));
        assertFalse(key.toString().contains(Base64.getEncoder().encodeToString(material)));
        assertTrue(key.toString().contains(key.id()));
        assertFalse(new SecureKeyRing(key, java.util.List.of()).toString().contains(hexKey));
        assertFalse(new SecureSettingsResource.ValueChange(SECRET).toString().contains(SECRET));
        assertFalse(cipher.seal(key, row, SECRET).toString().contains(SECRET));
    }

    private static SecureValueUnreadableException assertUnreadable(org.junit.jupiter.api.function.Executable open) {
        return assertThrows(SecureValueUnreadableException.class, open);
    }

    @Test
    void keyIdIsTheStartOfTheSha256OfTheKey() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(material);
        assertEquals(TestSupport.hex(digest).substring(0, 16), key.id());
        assertNotEquals(key.id(), SecureKey.of(TestSupport.randomKeyBytes()).id());
    }
}
