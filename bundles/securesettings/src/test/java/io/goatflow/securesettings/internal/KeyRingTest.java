package io.goatflow.securesettings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
    @TempDir
    Path data;

    private final Map<String, String> env = new HashMap<>();
    private final byte[] material = TestSupport.randomKeyBytes();
    private final String expectedId = SecureKey.of(material).id();

    private KeyRingLoader loader() {
        return new KeyRingLoader(env::get, new KeyFiles(new SecureRandom()), data.toString());
    }

    @Test
    void keysParseFromHexAndBase64() {
        assertEquals(expectedId, SecureKey.parse(TestSupport.hex(material)).orElseThrow().id());
        assertEquals(expectedId, SecureKey.parse(TestSupport.hex(material).toUpperCase()).orElseThrow().id());
        assertEquals(expectedId, SecureKey.parse(Base64.getEncoder().encodeToString(material)).orElseThrow().id());
        assertEquals(expectedId, SecureKey.parse("  " + Base64.getEncoder().encodeToString(material) + "\n")
                .orElseThrow().id());
        assertEquals(expectedId, SecureKey.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(material))
                .orElseThrow().id());
    }

    @Test
    void keysOfTheWrongLengthOrFormAreRefused() {
        byte[] shortKey = new byte[16];
        // random, so its base64 is not by chance all hex digits (64 such characters are read as hex)
        byte[] longKey = new byte[48];
        new SecureRandom().nextBytes(longKey);
        longKey[0] = (byte) 0xFF;
        for (String bad : List.of("", "   ", "not a key", TestSupport.hex(shortKey), TestSupport.hex(material).substring(1),
                TestSupport.hex(material) + "00", Base64.getEncoder().encodeToString(shortKey),
                Base64.getEncoder().encodeToString(longKey),
                // a non-hex character in a 64-character key (the key is random: it need not contain any given digit)
                TestSupport.hex(material).substring(1) + "g")) {
            assertTrue(SecureKey.parse(bad).isEmpty(), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SecureKey.of(new byte[31]));
    }

    @Test
    void environmentKeyWinsAndNoFileIsWritten() {
        env.put(KeyRingLoader.KEY_ENV, Base64.getEncoder().encodeToString(material));
        SecureKeyRing ring = loader().load(TestSupport.config(Map.of()));
        assertEquals(expectedId, ring.current().id());
        assertFalse(Files.exists(data.resolve("secure")), "no key file when the environment names the key");
    }

    @Test
    void malformedEnvironmentKeyStopsActivationWithoutPrintingIt() {
        String almost = TestSupport.hex(material).substring(2); // 62 hex characters: a key with a typo
        env.put(KeyRingLoader.KEY_ENV, almost);
        KeyConfigurationException e = assertThrows(KeyConfigurationException.class,
                () -> loader().load(TestSupport.config(Map.of())));
        assertTrue(e.getMessage().contains("GOATFLOW_SECURE_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(almost), "the message must not repeat the key");
        assertFalse(Files.exists(data.resolve("secure")), "no fallback to a generated key file");
    }

    @Test
    void defaultKeyFileLivesUnderKarafData() {
        SecureKeyRing ring = loader().load(TestSupport.config(Map.of()));
        Path file = data.resolve("secure").resolve("secure.key");
        assertTrue(Files.exists(file));
        assertEquals(ring.current().id(), new KeyFiles(new SecureRandom()).read(file).id());
        assertEquals(file.toAbsolutePath(), loader().keyFile(""));
        assertEquals(data.resolve("elsewhere/k.key").toAbsolutePath(), loader().keyFile("${karaf.data}/elsewhere/k.key"));
    }

    @Test
    void previousKeysComeFromFilesAndEnvironment() throws Exception {
        byte[] fromFile = TestSupport.randomKeyBytes();
        byte[] fromEnvOne = TestSupport.randomKeyBytes();
        byte[] fromEnvTwo = TestSupport.randomKeyBytes();
        Path old = data.resolve("old.key");
        Files.writeString(old, TestSupport.hex(fromFile));
        env.put(KeyRingLoader.KEY_ENV, TestSupport.hex(material));
        env.put(KeyRingLoader.PREVIOUS_ENV, Base64.getEncoder().encodeToString(fromEnvOne) + " , "
                + TestSupport.hex(fromEnvTwo) + ",");
        // a .cfg file gives one comma-separated string; a typed config gives an array
        SecureKeyRing ring = loader().load(TestSupport.config(Map.of("previousKeyFiles", new String[] {old + ", "})));
        assertEquals(expectedId, ring.current().id());
        assertEquals(List.of(SecureKey.of(fromFile).id(), SecureKey.of(fromEnvOne).id(), SecureKey.of(fromEnvTwo).id()),
                ring.previousIds());
        assertTrue(ring.byId(SecureKey.of(fromEnvTwo).id()).isPresent());
        assertFalse(ring.knows("0000000000000000"));
    }

    @Test
    void thePreviousListMayRepeatTheCurrentKey() {
        env.put(KeyRingLoader.KEY_ENV, TestSupport.hex(material));
        env.put(KeyRingLoader.PREVIOUS_ENV, Base64.getEncoder().encodeToString(material));
        SecureKeyRing ring = loader().load(TestSupport.config(Map.of()));
        assertEquals(List.of(), ring.previousIds());
    }

    @Test
    void badPreviousKeysAreRefusedNotSkipped() {
        env.put(KeyRingLoader.KEY_ENV, TestSupport.hex(material));
        env.put(KeyRingLoader.PREVIOUS_ENV, TestSupport.hex(TestSupport.randomKeyBytes()) + ",oops");
        KeyConfigurationException e = assertThrows(KeyConfigurationException.class,
                () -> loader().load(TestSupport.config(Map.of())));
        assertTrue(e.getMessage().contains("Entry 2"), e.getMessage());
        env.remove(KeyRingLoader.PREVIOUS_ENV);
        Path missing = data.resolve("missing.key");
        e = assertThrows(KeyConfigurationException.class,
                () -> loader().load(TestSupport.config(Map.of("previousKeyFiles", new String[] {missing.toString()}))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(missing), "previous key files are never generated");
    }
}
