package io.goatflow.securesettings.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key files: read, or created on first start with 32 random bytes (written as base64). Creation is atomic and never
 * replaces an existing file: the key is written to a private temporary file and hard-linked into place, so when
 * several instances start at once on a shared folder exactly one key wins and the others read it. File and folder
 * are owner-only (rw------- and rwx------) where the file system has POSIX permissions.
 */
final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** A key file is a few dozen bytes; anything much larger is the wrong file, not a key. */
    private static final long MAX_FILE_BYTES = 4096;
    /** How long an instance that lost the creation race waits for the winner's file to be complete. */
    private static final long WAIT_FOR_WINNER_MS = 2000;

    private final SecureRandom random;

    KeyFiles(SecureRandom random) {
        this.random = random;
    }

    /** The key in {@code file}, generating the file first when it does not exist. */
    SecureKey loadOrCreate(Path file) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            return readWaiting(target);
        }
        boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
        byte[] material = new byte[SecureKey.KEY_BYTES];
        random.nextBytes(material);
        byte[] text = SecureKey.encode(material);
        try {
            createPrivateDirectories(target.getParent(), posix);
            if (publish(target, text, posix)) {
                SecureKey key = SecureKey.of(material);
                LOG.info("Generated secure settings key {} in {}. Back this file up: secure settings encrypted with "
                        + "it cannot be read without it. Instances that share the database need the same key.",
                        key.id(), target);
                return key;
            }
            SecureKey theirs = readWaiting(target);
            LOG.info("Using secure settings key {} from {}, created by another instance", theirs.id(), target);
            return theirs;
        } catch (IOException e) {
            throw new KeyConfigurationException("Cannot create the key file " + target + ": " + describe(e), e);
        } finally {
            Arrays.fill(material, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
    }

    /** The key in an existing {@code file}; never creates one (previous keys must exist). */
    SecureKey read(Path file) {
        Path target = file.toAbsolutePath().normalize();
        byte[] content = null;
        try {
            if (Files.size(target) > MAX_FILE_BYTES) {
                throw new KeyConfigurationException("Key file " + target + " is too large to be a key file");
            }
            content = Files.readAllBytes(target);
            SecureKey key = decode(content).orElseThrow(() -> new KeyConfigurationException("Key file " + target
                    + " does not hold a 32-byte key (base64, 64 hex characters, or 32 raw bytes)"));
            warnIfShared(target);
            return key;
        } catch (NoSuchFileException e) {
            throw new KeyConfigurationException("Key file " + target + " does not exist", e);
        } catch (IOException e) {
            throw new KeyConfigurationException("Cannot read key file " + target + ": " + describe(e), e);
        } finally {
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    /** Text (base64 or hex, as generated) first; exactly 32 bytes that are not such text are a raw key. */
    static Optional<SecureKey> decode(byte[] content) {
        Optional<SecureKey> text = SecureKey.parse(new String(content, StandardCharsets.ISO_8859_1));
        if (text.isPresent() || content.length != SecureKey.KEY_BYTES) {
            return text;
        }
        return Optional.of(SecureKey.of(content));
    }

    /**
     * Writes {@code content} to {@code target} unless it exists. False when another process created it first.
     */
    private static boolean publish(Path target, byte[] content, boolean posix) throws IOException {
        Path directory = target.getParent();
        Path temp = posix
                ? Files.createTempFile(directory, ".secure-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                : Files.createTempFile(directory, ".secure-key-", ".tmp");
        try {
            if (posix) {
                // the creation mode went through the umask; this is exact
                Files.setPosixFilePermissions(temp, OWNER_ONLY_FILE);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writeFully(channel, content);
                channel.force(true);
            }
            try {
                // link(2) fails when the name exists: atomic, and the winner's complete file is never replaced
                Files.createLink(target, temp);
                syncDirectory(directory);
                return true;
            } catch (FileAlreadyExistsException lostTheRace) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                return createNew(target, content, posix);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Fallback where hard links are not available: O_EXCL creation, which a racing reader may see half-written. */
    private static boolean createNew(Path target, byte[] content, boolean posix) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(target, options, attributes)) {
            if (posix) {
                Files.setPosixFilePermissions(target, OWNER_ONLY_FILE);
            }
            writeFully(channel, content);
            channel.force(true);
        } catch (FileAlreadyExistsException lostTheRace) {
            return false;
        }
        syncDirectory(target.getParent());
        return true;
    }

    /**
     * Reads a key file, waiting briefly while it is not valid yet: another instance may be writing it (only where
     * hard links are not available), and a wrong file costs two seconds before it is refused.
     */
    private SecureKey readWaiting(Path target) {
        long deadline = System.nanoTime() + WAIT_FOR_WINNER_MS * 1_000_000L;
        while (true) {
            try {
                return read(target);
            } catch (KeyConfigurationException incomplete) {
                if (System.nanoTime() > deadline) {
                    throw incomplete;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeyConfigurationException("Interrupted while waiting for key file " + target, e);
            }
        }
    }

    private static void createPrivateDirectories(Path directory, boolean posix) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (!posix) {
            Files.createDirectories(directory);
            LOG.warn("The file system of {} has no POSIX permissions: restrict access to the key folder by other means",
                    directory);
            return;
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
    }

    private static void warnIfShared(Path file) {
        try {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            EnumSet<PosixFilePermission> others = EnumSet.copyOf(permissions);
            others.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (!others.isEmpty()) {
                LOG.warn("Key file {} is accessible to other users ({}); restrict it with chmod 600", file,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // permissions are advice here; the key itself was read
        }
    }

    private static void writeFully(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** So the new name survives a crash right after creation; not every platform can open a folder, which is fine. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
