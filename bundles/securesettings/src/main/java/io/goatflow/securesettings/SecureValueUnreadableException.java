package io.goatflow.securesettings;

/**
 * A stored secure value that cannot be decrypted: its key is not in the key ring, or the GCM tag check failed
 * (the ciphertext, nonce or row identity was changed, or the key is wrong). The message names the setting and the
 * key id, never a value or key material.
 */
public class SecureValueUnreadableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long orgId;
    private final String namespace;
    private final String name;
    private final String keyId;

    public SecureValueUnreadableException(long orgId, String namespace, String name, String keyId, String reason) {
        super("Secure setting " + namespace + "/" + name + " (org " + orgId + ", key " + keyId + ") cannot be read: "
                + reason);
        this.orgId = orgId;
        this.namespace = namespace;
        this.name = name;
        this.keyId = keyId;
    }

    public long orgId() {
        return orgId;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String keyId() {
        return keyId;
    }
}
