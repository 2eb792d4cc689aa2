package io.goatflow.auth.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BcryptPasswordHashingTest {
    private final BcryptPasswordHashing hashing =
            new BcryptPasswordHashing(ConfigDefaults.of(AuthConfig.class, Map.of("bcrypt_cost", 4)));

    @Test
    void hashesVerifyAndDiffer() {
        String hash = hashing.hash("correct horse battery");
        assertTrue(hash.startsWith("$2b$04$"), hash);
        assertTrue(hashing.verify("correct horse battery", hash));
        assertFalse(hashing.verify("correct horse batterY", hash));
        assertFalse(hash.equals(hashing.hash("correct horse battery")), "salted");
    }

    @Test
    void readsOtrsAndGoStyleHashes() {
        // $2a$ test vector of jBCrypt (as written by Go's bcrypt), and the $2y$ prefix PHP/Perl (OTRS) write
        String vector = "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        assertTrue(hashing.verify("abc", vector));
        assertFalse(hashing.verify("abd", vector));
        String y = hashing.hash("password").replace("$2b$", "$2y$");
        assertTrue(hashing.verify("password", y));
    }

    @Test
    void overlongAndMalformedAreRefusedNotTruncated() {
        String seventyTwo = "a".repeat(72);
        String hash = hashing.hash(seventyTwo);
        assertFalse(hashing.verify(seventyTwo + "b", hash), "no silent truncation at 72 bytes");
        assertThrows(IllegalArgumentException.class, () -> hashing.hash(seventyTwo + "b"));
        assertFalse(hashing.verify("x", "not a bcrypt hash"));
        assertFalse(hashing.verify(null, hash));
    }

    @Test
    void generatedPasswordsAreLongAndDistinct() {
        String a = AdminBootstrap.generatePassword();
        assertTrue(a.length() >= 20);
        assertFalse(a.equals(AdminBootstrap.generatePassword()));
    }
}
