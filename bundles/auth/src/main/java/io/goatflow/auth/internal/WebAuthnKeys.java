package io.goatflow.auth.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RegistrationExtensionInputs;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import io.goatflow.auth.internal.webauthn.CredentialStore;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Passkeys and security keys (WebAuthn, Yubico's server library; ADR 0003). A passkey is discoverable and
 * user-verified and signs in without a password; a security key is a second factor after the password. Either kind
 * of key is accepted as the second factor. Ceremony state (the options with their challenge) lives in
 * {@code gk_webauthn_ceremony} and is deleted before the browser's answer is verified, so a ceremony begun on one
 * instance may finish on another, once.
 */
@Component(service = WebAuthnKeys.class, configurationPid = "io.goatflow.auth")
public final class WebAuthnKeys {
    static final int MAX_KEYS = 20;
    static final int NAME_MAX = 100;
    private static final Duration CEREMONY_LIFETIME = Duration.ofMinutes(5);
    /**
     * Passkey sign-ins begun from one address and not yet finished that are kept; a newer one drops the oldest, so
     * nobody can fill the table and nobody is locked out (behind a proxy every visitor shares one address).
     */
    static final int OPEN_SIGN_INS_PER_ADDRESS = 20;
    private static final int CREDENTIAL_JSON_MAX = 32 * 1024;
    private static final int CREDENTIAL_ID_MAX = 1023;
    private static final int PUBLIC_KEY_MAX = 1500;

    /** What a key is for. */
    enum Purpose {
        PASSKEY, SECURITY_KEY;

        String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Purpose of(String value) {
            if (value == null || value.isBlank()) {
                return PASSKEY;
            }
            return switch (value.trim()) {
                case "passkey" -> PASSKEY;
                case "security_key" -> SECURITY_KEY;
                default -> throw ApiException.validation("type must be passkey or security_key");
            };
        }
    }

    /** A ceremony begun: its token (sent back with the answer) and the options for {@code navigator.credentials}. */
    record Begun(String ceremony, JsonNode publicKey, Instant expiresAt) {
        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ceremony", ceremony);
            out.put("public_key", publicKey);
            out.put("expires_at", expiresAt);
            return out;
        }
    }

    private record Ceremony(String type, Caller.Kind kind, Long userId, Long pendingId, Purpose purpose,
            String options) {
    }

    private final Database database;
    private final CredentialStore store;
    private final RelyingParty relyingParty;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    @Activate
    public WebAuthnKeys(AuthConfig config, @Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
        this.store = new CredentialStore(database);
        Set<String> origins = Arrays.stream(config.webauthn_origins().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
        this.relyingParty = RelyingParty.builder()
                .identity(RelyingPartyIdentity.builder().id(config.webauthn_rp_id().trim())
                        .name(config.webauthn_rp_name().trim()).build())
                .credentialRepository(store)
                .origins(origins)
                // GoatFlow trusts what the user registers, whatever made it; attestation would only name the maker
                .attestationConveyancePreference(AttestationConveyancePreference.NONE)
                .allowUntrustedAttestation(true)
                .validateSignatureCounter(true)
                .build();
    }

    // ---- registration (profile) ----

    Begun beginRegistration(Caller.Kind kind, long userId, String login, String displayName, Purpose purpose) {
        if (count(kind, userId) >= MAX_KEYS) {
            throw ApiException.conflict("TOO_MANY_KEYS", "An account can have at most " + MAX_KEYS + " keys");
        }
        boolean passkey = purpose == Purpose.PASSKEY;
        PublicKeyCredentialCreationOptions options = relyingParty.startRegistration(StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name(login).displayName(displayName == null || displayName.isBlank()
                        ? login : displayName).id(store.userHandle(kind, userId)).build())
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .residentKey(passkey ? ResidentKeyRequirement.REQUIRED : ResidentKeyRequirement.DISCOURAGED)
                        .userVerification(passkey ? UserVerificationRequirement.REQUIRED
                                : UserVerificationRequirement.DISCOURAGED)
                        .build())
                .extensions(RegistrationExtensionInputs.builder().credProps().build())
                .timeout(CEREMONY_LIFETIME.toMillis())
                .build());
        // the library asks for the keys to exclude by login; ours are known by account
        options = options.toBuilder().excludeCredentials(store.descriptors(kind, userId)).build();
        try {
            return begin("register", kind, userId, null, purpose, null, options.toJson(),
                    options.toCredentialsCreateJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies the browser's answer to a registration and stores the key; answers the key's view. */
    Map<String, Object> finishRegistration(Caller.Kind kind, long userId, String ceremonyToken, JsonNode credential,
            String name) {
        String label = name == null ? "" : name.trim();
        if (label.length() > NAME_MAX) {
            throw ApiException.validation("name is at most " + NAME_MAX + " characters");
        }
        String response = credentialJson(credential);
        Ceremony ceremony = consume(ceremonyToken, "register")
                .filter(c -> c.kind() == kind && c.userId() != null && c.userId() == userId)
                .orElseThrow(WebAuthnKeys::ceremonyExpired);
        RegistrationResult result;
        try {
            result = relyingParty.finishRegistration(FinishRegistrationOptions.builder()
                    .request(PublicKeyCredentialCreationOptions.fromJson(ceremony.options()))
                    .response(PublicKeyCredential.parseRegistrationResponseJson(response))
                    .build());
        } catch (DataAccessException e) {
            throw e; // the database, not the key: 503 rather than a refusal
        } catch (RegistrationFailedException | IOException | RuntimeException e) {
            throw new ApiException(400, "WEBAUTHN_REJECTED", "The key's answer was not accepted; try again");
        }
        // the WebAuthn spec allows ids up to 1023 bytes; COSE keys of the algorithms offered are far below 1500
        if (result.getKeyId().getId().size() > CREDENTIAL_ID_MAX || result.getPublicKeyCose().size() > PUBLIC_KEY_MAX) {
            throw new ApiException(400, "WEBAUTHN_REJECTED", "The key's answer was not accepted; try again");
        }
        boolean passkey = ceremony.purpose() == Purpose.PASSKEY;
        if (passkey && (!result.isDiscoverable().orElse(true) || !result.isUserVerified())) {
            throw new ApiException(400, "WEBAUTHN_NOT_A_PASSKEY",
                    "This authenticator cannot keep a passkey; register it as a security key");
        }
        String finalName = label.isEmpty() ? (passkey ? "Passkey" : "Security key") : label;
        return database.inTransaction(c -> {
            if (count(c, kind, userId) >= MAX_KEYS) {
                throw ApiException.conflict("TOO_MANY_KEYS", "An account can have at most " + MAX_KEYS + " keys");
            }
            // (a key registered already was refused by the library; a race ends at the unique credential_id)
            long id = Jdbc.insert(c, "INSERT INTO gk_webauthn_credential (user_kind, user_id, credential_id,"
                    + " public_key, sign_count, purpose, discoverable, name, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Jdbc.params(CredentialStore.kindName(kind), userId, result.getKeyId().getId().getBase64Url(),
                            result.getPublicKeyCose().getBase64Url(), result.getSignatureCount(),
                            ceremony.purpose().dbName(), result.isDiscoverable().orElse(passkey) ? 1 : 0, finalName,
                            Instant.now()));
            return view(Jdbc.rows(c, "SELECT " + COLUMNS + " FROM gk_webauthn_credential WHERE id = ?",
                    Jdbc.params(id)).get(0));
        });
    }

    // ---- passkey sign-in ----

    Begun beginPasskeyLogin(String clientIp) {
        AssertionRequest request = relyingParty.startAssertion(StartAssertionOptions.builder()
                .userVerification(UserVerificationRequirement.REQUIRED)
                .timeout(CEREMONY_LIFETIME.toMillis()).build());
        try {
            return begin("passkey", null, null, null, Purpose.PASSKEY, clientIp, request.toJson(),
                    request.toCredentialsGetJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The account of a verified passkey answer, or 401 {@code PASSKEY_REJECTED} for anything else (unknown, used or
     * expired ceremony, unknown key, a security key, bad signature, counter gone backwards), all alike.
     */
    CredentialStore.Account finishPasskeyLogin(String ceremonyToken, JsonNode credential) {
        String response = credentialJson(credential);
        Ceremony ceremony = consume(ceremonyToken, "passkey").orElseThrow(WebAuthnKeys::passkeyRejected);
        AssertionResult result = assertion(ceremony, response).orElseThrow(WebAuthnKeys::passkeyRejected);
        if (!result.isUserVerified() || !Purpose.PASSKEY.dbName().equals(purposeOf(result))) {
            throw passkeyRejected();
        }
        used(result);
        return CredentialStore.account(result.getUsername()).orElseThrow(WebAuthnKeys::passkeyRejected);
    }

    // ---- second factor ----

    /** Whether the account has any key, which makes the password step ask for a second factor. */
    boolean any(Connection c, Caller.Kind kind, long userId) throws SQLException {
        return count(c, kind, userId) > 0;
    }

    Begun beginSecondFactor(Caller.Kind kind, long userId, long pendingId) {
        if (count(kind, userId) == 0) {
            throw ApiException.conflict("NO_SECURITY_KEY", "This account has no security key");
        }
        AssertionRequest request = relyingParty.startAssertion(StartAssertionOptions.builder()
                .username(CredentialStore.username(kind, userId))
                .userVerification(UserVerificationRequirement.DISCOURAGED)
                .timeout(CEREMONY_LIFETIME.toMillis()).build());
        try {
            return begin("second_factor", kind, userId, pendingId, null, null, request.toJson(),
                    request.toCredentialsGetJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the answer is a valid signature of one of the account's keys for the ceremony of this pending login. */
    boolean finishSecondFactor(String ceremonyToken, JsonNode credential, Caller.Kind kind, long userId,
            long pendingId) {
        String response = credentialJson(credential);
        Optional<Ceremony> ceremony = consume(ceremonyToken, "second_factor").filter(c -> c.kind() == kind
                && c.userId() != null && c.userId() == userId && c.pendingId() != null && c.pendingId() == pendingId);
        if (ceremony.isEmpty()) {
            return false;
        }
        Optional<AssertionResult> result = assertion(ceremony.get(), response)
                .filter(r -> CredentialStore.username(kind, userId).equals(r.getUsername()));
        result.ifPresent(this::used);
        return result.isPresent();
    }

    // ---- listing and removal ----

    private static final String COLUMNS = "id, name, purpose, discoverable, created_at, last_used_at";

    List<Map<String, Object>> list(Caller.Kind kind, long userId) {
        return database.inTransaction(c -> Jdbc.rows(c, "SELECT " + COLUMNS + " FROM gk_webauthn_credential"
                + " WHERE user_kind = ? AND user_id = ? ORDER BY id", Jdbc.params(CredentialStore.kindName(kind),
                        userId)).stream().map(WebAuthnKeys::view).toList());
    }

    /** Removes one of the account's own keys; 404 for a key that is not theirs. */
    void remove(Caller.Kind kind, long userId, long keyId) {
        int removed = database.inTransaction(c -> Jdbc.update(c, "DELETE FROM gk_webauthn_credential WHERE id = ?"
                + " AND user_kind = ? AND user_id = ?", Jdbc.params(keyId, CredentialStore.kindName(kind), userId)));
        if (removed == 0) {
            throw ApiException.notFound("Key");
        }
    }

    /** Removes every key of an account in the caller's transaction (the administrators' reset); how many. */
    int clear(Connection c, Caller.Kind kind, long userId) throws SQLException {
        Jdbc.update(c, "DELETE FROM gk_webauthn_ceremony WHERE user_kind = ? AND user_id = ?",
                Jdbc.params(CredentialStore.kindName(kind), userId));
        return Jdbc.update(c, "DELETE FROM gk_webauthn_credential WHERE user_kind = ? AND user_id = ?",
                Jdbc.params(CredentialStore.kindName(kind), userId));
    }

    // ---- internals ----

    private Begun begin(String type, Caller.Kind kind, Long userId, Long pendingId, Purpose purpose, String clientIp,
            String stored, String forBrowser) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now();
        Instant expires = now.plus(CEREMONY_LIFETIME);
        String ip = DatabaseLoginSessions.truncate(clientIp, 64);
        database.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM gk_webauthn_ceremony WHERE expires_at < ?", Jdbc.params(now));
            // every open ceremony is bounded: one registration per account, one key step per pending login, a few
            // sign-ins per address
            if ("register".equals(type)) {
                Jdbc.update(c, "DELETE FROM gk_webauthn_ceremony WHERE ceremony = 'register' AND user_kind = ?"
                        + " AND user_id = ?", Jdbc.params(CredentialStore.kindName(kind), userId));
            } else if ("second_factor".equals(type)) {
                Jdbc.update(c, "DELETE FROM gk_webauthn_ceremony WHERE ceremony = 'second_factor' AND pending_id = ?",
                        Jdbc.params(pendingId));
            } else if (ip != null) {
                List<Map<String, Object>> open = Jdbc.rows(c, "SELECT id FROM gk_webauthn_ceremony WHERE client_ip = ?"
                        + " ORDER BY id DESC", Jdbc.params(ip));
                for (Map<String, Object> old : open.subList(Math.min(open.size(), OPEN_SIGN_INS_PER_ADDRESS - 1),
                        open.size())) {
                    Jdbc.update(c, "DELETE FROM gk_webauthn_ceremony WHERE id = ?", Jdbc.params(old.get("id")));
                }
            }
            return Jdbc.insert(c, "INSERT INTO gk_webauthn_ceremony (token_hash, ceremony, user_kind, user_id,"
                    + " pending_id, purpose, client_ip, options, created_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Jdbc.params(DatabaseLoginSessions.hash(token), type,
                            kind == null ? null : CredentialStore.kindName(kind), userId, pendingId,
                            purpose == null ? null : purpose.dbName(), ip, stored, now, expires));
        });
        try {
            return new Begun(token, json.readTree(forBrowser).get("publicKey"), expires);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes a ceremony out of the table (so it is used once, even when verifying its answer fails). Empty for an
     * unknown, expired or already used token, or one of another type.
     */
    private Optional<Ceremony> consume(String token, String type) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return database.inTransaction(c -> {
            List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT id, ceremony, user_kind, user_id, pending_id,"
                    + " purpose, options, expires_at FROM gk_webauthn_ceremony WHERE token_hash = ? FOR UPDATE",
                    Jdbc.params(DatabaseLoginSessions.hash(token)));
            if (rows.isEmpty()) {
                return Optional.<Ceremony>empty();
            }
            Map<String, Object> row = rows.get(0);
            // the DELETE decides: of two instances finishing the same ceremony, one gets it
            if (Jdbc.update(c, "DELETE FROM gk_webauthn_ceremony WHERE id = ?", Jdbc.params(row.get("id"))) != 1
                    || !type.equals(row.get("ceremony")) || !((Instant) row.get("expires_at")).isAfter(now)) {
                return Optional.<Ceremony>empty();
            }
            String kind = (String) row.get("user_kind");
            String purpose = (String) row.get("purpose");
            return Optional.of(new Ceremony(type, kind == null ? null : "customer".equals(kind)
                    ? Caller.Kind.CUSTOMER : Caller.Kind.AGENT, longOrNull(row.get("user_id")),
                    longOrNull(row.get("pending_id")), purpose == null ? null : Purpose.of(purpose),
                    (String) row.get("options")));
        });
    }

    private Optional<AssertionResult> assertion(Ceremony ceremony, String response) {
        try {
            AssertionResult result = relyingParty.finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(ceremony.options()))
                    .response(PublicKeyCredential.parseAssertionResponseJson(response))
                    .build());
            return result.isSuccess() ? Optional.of(result) : Optional.empty();
        } catch (DataAccessException e) {
            throw e; // the database, not the key: 503, and no attempt lost to a refusal
        } catch (AssertionFailedException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String purposeOf(AssertionResult result) {
        return database.inTransaction(c -> Jdbc.rows(c, "SELECT purpose FROM gk_webauthn_credential"
                + " WHERE credential_id = ?", Jdbc.params(result.getCredentialId().getBase64Url())).stream()
                .findFirst().map(row -> (String) row.get("purpose")).orElse(""));
    }

    private void used(AssertionResult result) {
        // the counter only grows, even when two instances record uses of one key at once (authenticators without
        // a counter always send 0)
        long count = result.getSignatureCount();
        database.inTransaction(c -> Jdbc.update(c, "UPDATE gk_webauthn_credential SET sign_count = CASE WHEN"
                + " sign_count < ? THEN ? ELSE sign_count END, last_used_at = ? WHERE credential_id = ?",
                Jdbc.params(count, count, Instant.now(), result.getCredentialId().getBase64Url())));
    }

    private String credentialJson(JsonNode credential) {
        if (credential == null || !credential.isObject()) {
            throw ApiException.validation("credential is required");
        }
        String text = credential.toString();
        if (text.length() > CREDENTIAL_JSON_MAX) {
            throw ApiException.validation("credential is too large");
        }
        return text;
    }

    private int count(Caller.Kind kind, long userId) {
        return database.inTransaction(c -> count(c, kind, userId));
    }

    private static int count(Connection c, Caller.Kind kind, long userId) throws SQLException {
        return ((Number) Jdbc.rows(c, "SELECT COUNT(*) AS n FROM gk_webauthn_credential WHERE user_kind = ?"
                + " AND user_id = ?", Jdbc.params(CredentialStore.kindName(kind), userId)).get(0).get("n")).intValue();
    }

    private static Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", ((Number) row.get("id")).longValue());
        out.put("name", row.get("name"));
        out.put("type", row.get("purpose"));
        out.put("passwordless", "passkey".equals(row.get("purpose")));
        out.put("created_at", row.get("created_at"));
        out.put("last_used_at", row.get("last_used_at"));
        return out;
    }

    private static Long longOrNull(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static ApiException ceremonyExpired() {
        return new ApiException(400, "WEBAUTHN_CEREMONY_EXPIRED",
                "This request has expired or was already used; start again");
    }

    private static ApiException passkeyRejected() {
        return new ApiException(401, "PASSKEY_REJECTED", "This passkey was not accepted");
    }
}
