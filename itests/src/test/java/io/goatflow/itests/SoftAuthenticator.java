package io.goatflow.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebAuthn authenticator in software for API tests (ES256, attestation "none"), so the server's verification meets
 * real signatures, CBOR and client data rather than canned answers. It answers the options a begin route gives, as a
 * browser's {@code PublicKeyCredential.toJSON()} would. The browser tests use Chromium's virtual authenticator.
 */
final class SoftAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    /** A key this authenticator holds. */
    static final class Credential {
        final byte[] id;
        final KeyPair keys;
        final String rpId;
        final byte[] userHandle;
        final boolean discoverable;
        long counter;

        Credential(byte[] id, KeyPair keys, String rpId, byte[] userHandle, boolean discoverable) {
            this.id = id;
            this.keys = keys;
            this.rpId = rpId;
            this.userHandle = userHandle;
            this.discoverable = discoverable;
        }

        String idBase64() {
            return B64.encodeToString(id);
        }
    }

    private final String origin;
    private final List<Credential> credentials = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    /** Whether the authenticator reports user verification (a PIN or fingerprint). */
    boolean userVerifies = true;
    /** Whether it can keep discoverable credentials (a passkey); a plain security key cannot. */
    boolean residentKeys = true;
    /** When set, {@link #get} signs with this key whatever the options allow (a misbehaving client). */
    Credential force;

    SoftAuthenticator(String origin) {
        this.origin = origin;
    }

    List<Credential> credentials() {
        return credentials;
    }

    /** Answers {@code navigator.credentials.create({publicKey})}: a new key pair, attestation "none". */
    String create(JsonNode publicKey) throws Exception {
        String rpId = publicKey.path("rp").path("id").asText();
        byte[] userHandle = UNB64.decode(publicKey.path("user").path("id").asText());
        for (JsonNode excluded : publicKey.path("excludeCredentials")) {
            for (Credential c : credentials) {
                if (c.idBase64().equals(excluded.path("id").asText())) {
                    throw new IllegalStateException("InvalidStateError: the authenticator already holds a key");
                }
            }
        }
        String residentKey = publicKey.path("authenticatorSelection").path("residentKey").asText("discouraged");
        boolean discoverable = residentKeys && !"discouraged".equals(residentKey);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] id = new byte[32];
        random.nextBytes(id);
        Credential credential = new Credential(id, generator.generateKeyPair(), rpId, userHandle, discoverable);
        credentials.add(credential);

        byte[] clientData = clientData("webauthn.create", publicKey.path("challenge").asText(), origin);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.write(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(flags(true) | 0x40);
        authData.write(ByteBuffer.allocate(4).putInt((int) credential.counter).array());
        authData.write(new byte[16]);
        authData.write(ByteBuffer.allocate(2).putShort((short) id.length).array());
        authData.write(id);
        authData.write(coseKey((ECPublicKey) credential.keys.getPublic()));

        Map<Object, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", Map.of());
        attestation.put("authData", authData.toByteArray());

        ObjectNode response = JSON.createObjectNode();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("attestationObject", B64.encodeToString(Cbor.encode(attestation)));
        response.putArray("transports").add("internal");
        ObjectNode out = credentialJson(id, response);
        out.putObject("clientExtensionResults").putObject("credProps").put("rk", discoverable);
        return out.toString();
    }

    /** Answers {@code navigator.credentials.get({publicKey})} with the first key that fits. */
    String get(JsonNode publicKey) throws Exception {
        return get(publicKey, origin);
    }

    /** The same, claiming another origin (a phishing site relaying the challenge). */
    String get(JsonNode publicKey, String claimedOrigin) throws Exception {
        Credential credential = pick(publicKey);
        credential.counter++;
        byte[] clientData = clientData("webauthn.get", publicKey.path("challenge").asText(), claimedOrigin);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.write(sha256(credential.rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(flags(!"discouraged".equals(publicKey.path("userVerification").asText("preferred"))));
        authData.write(ByteBuffer.allocate(4).putInt((int) credential.counter).array());
        byte[] signed = authData.toByteArray();

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(credential.keys.getPrivate());
        signer.update(signed);
        signer.update(sha256(clientData));

        ObjectNode response = JSON.createObjectNode();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("authenticatorData", B64.encodeToString(signed));
        response.put("signature", B64.encodeToString(signer.sign()));
        response.put("userHandle", B64.encodeToString(credential.userHandle));
        ObjectNode out = credentialJson(credential.id, response);
        out.putObject("clientExtensionResults");
        return out.toString();
    }

    private Credential pick(JsonNode publicKey) {
        if (force != null) {
            return force;
        }
        String rpId = publicKey.path("rpId").asText();
        JsonNode allowed = publicKey.path("allowCredentials");
        for (Credential c : credentials) {
            if (!c.rpId.equals(rpId)) {
                continue;
            }
            if (allowed.isArray() && allowed.size() > 0) {
                for (JsonNode a : allowed) {
                    if (c.idBase64().equals(a.path("id").asText())) {
                        return c;
                    }
                }
            } else if (c.discoverable) {
                return c;
            }
        }
        throw new IllegalStateException("NotAllowedError: no key of this authenticator fits");
    }

    private int flags(boolean verificationWanted) {
        return 0x01 | (userVerifies && verificationWanted ? 0x04 : 0);
    }

    private static ObjectNode credentialJson(byte[] id, ObjectNode response) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", B64.encodeToString(id));
        out.put("rawId", B64.encodeToString(id));
        out.put("type", "public-key");
        out.put("authenticatorAttachment", "platform");
        out.set("response", response);
        return out;
    }

    private static byte[] clientData(String type, String challenge, String origin) throws Exception {
        ObjectNode data = JSON.createObjectNode();
        data.put("type", type);
        data.put("challenge", challenge);
        data.put("origin", origin);
        data.put("crossOrigin", false);
        return JSON.writeValueAsBytes(data);
    }

    private static byte[] coseKey(ECPublicKey key) {
        Map<Object, Object> cose = new LinkedHashMap<>();
        cose.put(1L, 2L);
        cose.put(3L, -7L);
        cose.put(-1L, 1L);
        cose.put(-2L, unsigned32(key.getW().getAffineX()));
        cose.put(-3L, unsigned32(key.getW().getAffineY()));
        return Cbor.encode(cose);
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    /** The CBOR subset WebAuthn needs: integers, byte and text strings, maps. */
    static final class Cbor {
        private Cbor() {
        }

        static byte[] encode(Object value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, value);
            return out.toByteArray();
        }

        private static void write(ByteArrayOutputStream out, Object value) {
            if (value instanceof Long n) {
                if (n >= 0) {
                    header(out, 0, n);
                } else {
                    header(out, 1, -1 - n);
                }
            } else if (value instanceof byte[] bytes) {
                header(out, 2, bytes.length);
                out.writeBytes(bytes);
            } else if (value instanceof String text) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                header(out, 3, bytes.length);
                out.writeBytes(bytes);
            } else if (value instanceof Map<?, ?> map) {
                header(out, 5, map.size());
                map.forEach((k, v) -> {
                    write(out, k);
                    write(out, v);
                });
            } else {
                throw new IllegalArgumentException("not in the CBOR subset: " + value);
            }
        }

        private static void header(ByteArrayOutputStream out, int major, long length) {
            int type = major << 5;
            if (length < 24) {
                out.write(type | (int) length);
            } else if (length < 256) {
                out.write(type | 24);
                out.write((int) length);
            } else if (length < 65536) {
                out.write(type | 25);
                out.write((int) (length >> 8));
                out.write((int) length);
            } else {
                out.write(type | 26);
                out.writeBytes(ByteBuffer.allocate(4).putInt((int) length).array());
            }
        }
    }
}
