package io.goatflow.securesettings.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the key ring from its sources. Current key: the environment variable {@value #KEY_ENV} when set, else the
 * configured key file (created on first start). Previous keys: the configured {@code previousKeyFiles} and the
 * comma-separated {@value #PREVIOUS_ENV}. A malformed source is refused as a whole, never skipped, so a typo cannot
 * quietly leave values unreadable or seal new ones under an unintended key.
 */
final class KeyRingLoader {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRingLoader.class);
    static final String KEY_ENV = "GOATFLOW_SECURE_KEY";
    static final String PREVIOUS_ENV = "GOATFLOW_SECURE_KEY_PREVIOUS";
    static final String KARAF_DATA_PLACEHOLDER = "${karaf.data}";
    private static final String KEY_FORMAT = "32 bytes written as base64 or as 64 hex characters";

    private final Function<String, String> environment;
    private final KeyFiles files;
    private final String karafData;

    /**
     * @param environment the process environment ({@code System::getenv}), a map in tests
     * @param karafData Karaf's data folder, home of the default key file
     */
    KeyRingLoader(Function<String, String> environment, KeyFiles files, String karafData) {
        this.environment = environment;
        this.files = files;
        this.karafData = karafData;
    }

    /** The ring at start: a missing key file is created (the first start of an installation). */
    SecureKeyRing load(SecureSettingsConfig config) {
        return load(config, true);
    }

    /**
     * The ring after a live configuration change: key files must exist. Creating one here would silently make a
     * fresh random key current (a typo in a path is enough) while the other instances keep the old one.
     */
    SecureKeyRing reload(SecureSettingsConfig config) {
        return load(config, false);
    }

    private SecureKeyRing load(SecureSettingsConfig config, boolean mayCreateKeyFile) {
        SecureKey current;
        String source;
        String fromEnvironment = environment.apply(KEY_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            current = SecureKey.parse(fromEnvironment).orElseThrow(() -> new KeyConfigurationException(
                    "The environment variable " + KEY_ENV + " is set but does not hold a key: it must be " + KEY_FORMAT
                            + " (generate one with: openssl rand -base64 32)"));
            source = "the environment variable " + KEY_ENV;
        } else {
            Path file = keyFile(config.keyFile());
            current = mayCreateKeyFile ? files.loadOrCreate(file) : files.read(file);
            source = "key file " + file;
        }
        List<SecureKey> previous = new ArrayList<>();
        for (String path : entries(config.previousKeyFiles())) {
            previous.add(files.read(resolve(path)));
        }
        List<String> fromPreviousEnvironment = entries(environment.apply(PREVIOUS_ENV));
        for (int i = 0; i < fromPreviousEnvironment.size(); i++) {
            int position = i + 1;
            previous.add(SecureKey.parse(fromPreviousEnvironment.get(i)).orElseThrow(() -> new KeyConfigurationException(
                    "Entry " + position + " of the environment variable " + PREVIOUS_ENV + " is not a key: each "
                            + "comma-separated entry must be " + KEY_FORMAT)));
        }
        SecureKeyRing ring = new SecureKeyRing(current, previous);
        LOG.info("Secure settings: current key {} from {}; previous keys {}", current.id(), source,
                ring.previousIds());
        return ring;
    }

    /** The configured key file, or {@code ${karaf.data}/secure/secure.key}. */
    Path keyFile(String configured) {
        if (configured == null || configured.isBlank()) {
            return Path.of(karafData, "secure", "secure.key").toAbsolutePath();
        }
        return resolve(configured);
    }

    /** Fileinstall fills in {@code ${karaf.data}} in .cfg files; a value set through other means may still carry it. */
    private Path resolve(String configured) {
        return Path.of(configured.strip().replace(KARAF_DATA_PLACEHOLDER, karafData)).toAbsolutePath();
    }

    /** Non-blank entries; each may itself be a comma-separated list (a .cfg file gives one string, not an array). */
    private static List<String> entries(String... values) {
        List<String> entries = new ArrayList<>();
        if (values == null) {
            return entries;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return entries;
    }
}
