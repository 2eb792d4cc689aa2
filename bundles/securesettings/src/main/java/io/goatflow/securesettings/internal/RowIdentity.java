package io.goatflow.securesettings.internal;

import java.nio.charset.StandardCharsets;

/**
 * Which row a value belongs to. Its bytes are the GCM associated data, so a ciphertext moved to another
 * organisation, namespace or name fails its tag check instead of decrypting as someone else's secret.
 */
record RowIdentity(long orgId, String namespace, String name) {
    /** Versioned, and NUL-separated: namespaces and names cannot contain NUL, so the encoding is unambiguous. */
    private static final String AAD_PREFIX = "goatflow.secure_config.v1";

    byte[] associatedData() {
        return (AAD_PREFIX + '\0' + orgId + '\0' + namespace + '\0' + name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return namespace + "/" + name + " (org " + orgId + ")";
    }
}
