package io.goatflow.securesettings.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path data;

    private final KeyFiles files = new KeyFiles(new SecureRandom());

    @Test
    void firstStartGeneratesAnOwnerOnlyKeyFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = data.resolve("secure").resolve("secure.key");
        SecureKey key = files.loadOrCreate(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        byte[] content = Files.readAllBytes(file);
        assertEquals(key.id(), SecureKey.parse(new String(content, java.nio.charset.StandardCharsets.US_ASCII))
                .orElseThrow().id(), "the file holds the key as base64 text");
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void secondStartReusesTheFile() throws Exception {
        Path file = data.resolve("secure").resolve("secure.key");
        SecureKey first = files.loadOrCreate(file);
        byte[] content = Files.readAllBytes(file);
        SecureKey second = new KeyFiles(new SecureRandom()).loadOrCreate(file);
        assertEquals(first.id(), second.id());
        assertArrayEquals(content, Files.readAllBytes(file), "the file is not rewritten");
    }

    @Test
    void instancesRacingOnFirstStartAllEndUpWithTheWinnersKey() throws Exception {
        Path file = data.resolve("shared").resolve("secure.key");
        int instances = 8;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> ids = IntStream.range(0, instances).mapToObj(i -> pool.submit((Callable<String>) () -> {
                start.await();
                return new KeyFiles(new SecureRandom()).loadOrCreate(file).id();
            })).toList();
            start.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> id : ids) {
                distinct.add(id.get());
            }
            assertEquals(1, distinct.size(), "every instance must use the same key: " + distinct);
            assertEquals(distinct.iterator().next(), files.read(file).id());
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(Set.of(file), left.collect(Collectors.toSet()));
        }
    }

    @Test
    void rawThirtyTwoByteFilesAndHexFilesAreAccepted() throws Exception {
        byte[] material = TestSupport.randomKeyBytes();
        Path raw = data.resolve("raw.key");
        Files.write(raw, material);
        assertEquals(SecureKey.of(material).id(), files.read(raw).id());
        Path hex = data.resolve("hex.key");
        Files.writeString(hex, TestSupport.hex(material) + "\n");
        assertEquals(SecureKey.of(material).id(), files.loadOrCreate(hex).id());
    }

    @Test
    void aFileThatIsNotAKeyIsRefusedAndKept() throws Exception {
        Path file = data.resolve("secure.key");
        Files.writeString(file, "hello");
        KeyConfigurationException e = assertThrows(KeyConfigurationException.class, () -> files.loadOrCreate(file));
        assertTrue(e.getMessage().contains("does not hold a 32-byte key"), e.getMessage());
        assertFalse(e.getMessage().contains("hello"));
        assertEquals("hello", Files.readString(file), "an existing file is never replaced");
    }
}
