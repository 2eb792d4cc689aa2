package io.goatflow.securesettings;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypted settings in the database that every instance shares. A setting is identified by organisation (0 is
 * global), namespace (a plugin name or {@value #CORE_NAMESPACE}) and name. Values are sealed with AES-256-GCM under
 * the current key of the installation's key ring and bound to that identity; they are never logged, and listings
 * show them masked.
 *
 * <p>Identities are checked on every call: a namespace has 1 to {@value #NAMESPACE_MAX} characters of
 * {@code [a-z0-9_-]}, a name 1 to {@value #NAME_MAX} of {@code [A-Za-z0-9._:-]}, an organisation id is 0 or more,
 * and a value has at most {@value #VALUE_MAX_BYTES} bytes in UTF-8. Anything else is an
 * {@link IllegalArgumentException} whose message names the offending part (never the value).
 */
@ProviderType
public interface SecureSettings {
    /** Namespace of GoatFlow's own secrets. */
    String CORE_NAMESPACE = "core";
    /** Organisation id of global settings, the fallback of every organisation. */
    long GLOBAL_ORG = 0L;
    int NAMESPACE_MAX = 100;
    int NAME_MAX = 200;
    /** Largest value, in UTF-8 bytes (16 KiB). */
    int VALUE_MAX_BYTES = 16 * 1024;

    /**
     * The value for {@code orgId}, else the global value, else empty.
     *
     * @throws SecureValueUnreadableException when the row that applies cannot be decrypted (unknown key, tampered
     *         data); an unreadable organisation value does not silently fall back to the global one
     */
    Optional<String> get(String namespace, String name, long orgId);

    /** Stores (inserts or replaces) the value of this organisation's setting, encrypted under the current key. */
    void set(String namespace, String name, long orgId, String value, long changedBy);

    /** Removes this organisation's setting (never the global one for an organisation); false if there was none. */
    boolean delete(String namespace, String name, long orgId);

    /** The masked description of exactly this organisation's setting (no global fallback), or empty. */
    Optional<SecureSettingInfo> info(String namespace, String name, long orgId);

    /**
     * Masked descriptions of the stored settings, ordered by namespace, name and organisation; {@code null} means
     * any namespace or organisation. Rows that cannot be decrypted are listed with {@code readable} false.
     */
    List<SecureSettingInfo> list(String namespaceOrNull, Long orgIdOrNull);

    /**
     * Re-encrypts every setting not under the current key, each in its own short transaction with a
     * compare-and-set, so concurrent writes win and nothing is overwritten with stale data. Rows no known key can
     * decrypt are counted, logged and left as they are.
     */
    RotationResult rotate();

    /** Id of the key new values are encrypted with (16 hex characters of the SHA-256 of the key). */
    String currentKeyId();
}
