package io.goatflow.auth.internal.webauthn;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.exception.Base64UrlException;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.Caller;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The WebAuthn library's view of {@code gk_webauthn_user} and {@code gk_webauthn_credential}. The library's
 * "username" is {@code <kind>:<id>} (see {@link #username}), never a login, so renaming an account changes nothing
 * and an agent and a customer with the same login stay apart.
 */
public final class CredentialStore implements CredentialRepository {
    private final Database database;
    private final SecureRandom random = new SecureRandom();

    /** An account as the library names it. */
    public record Account(Caller.Kind kind, long id) {
    }

    public CredentialStore(Database database) {
        this.database = database;
    }

    public static String username(Caller.Kind kind, long id) {
        return kindName(kind) + ":" + id;
    }

    /** The account of a library username, or empty for anything that is not one of ours. */
    public static Optional<Account> account(String username) {
        if (username == null) {
            return Optional.empty();
        }
        int colon = username.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String kind = username.substring(0, colon);
        try {
            long id = Long.parseLong(username.substring(colon + 1));
            return switch (kind) {
                case "agent" -> Optional.of(new Account(Caller.Kind.AGENT, id));
                case "customer" -> Optional.of(new Account(Caller.Kind.CUSTOMER, id));
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The account's user handle, made (32 random bytes) the first time the account registers a key. */
    public ByteArray userHandle(Caller.Kind kind, long id) {
        try {
            return makeUserHandle(kind, id);
        } catch (DataAccessException e) {
            // another instance (or tab) made it at the same moment: use the one that won
            if (!e.isUniqueViolation()) {
                throw e;
            }
            return database.inTransaction(c -> handleOf(c, kind, id)).orElseThrow(() -> e);
        }
    }

    private ByteArray makeUserHandle(Caller.Kind kind, long id) {
        return database.inTransaction(c -> {
            Optional<ByteArray> known = handleOf(c, kind, id);
            if (known.isPresent()) {
                return known.get();
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            ByteArray handle = new ByteArray(bytes);
            Jdbc.update(c, "INSERT INTO gk_webauthn_user (user_kind, user_id, user_handle, created_at)"
                    + " VALUES (?, ?, ?, ?)", Jdbc.params(kindName(kind), id, handle.getBase64Url(), Instant.now()));
            return handle;
        });
    }

    /** Descriptors of every key of an account (to exclude at registration, to allow as a second factor). */
    public Set<PublicKeyCredentialDescriptor> descriptors(Caller.Kind kind, long id) {
        return database.inTransaction(c -> Jdbc.rows(c, "SELECT credential_id FROM gk_webauthn_credential"
                + " WHERE user_kind = ? AND user_id = ? ORDER BY id", Jdbc.params(kindName(kind), id)).stream()
                .map(row -> PublicKeyCredentialDescriptor.builder().id(bytes((String) row.get("credential_id")))
                        .build())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    @Override
    public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
        return account(username).map(a -> descriptors(a.kind(), a.id())).orElse(Set.of());
    }

    @Override
    public Optional<ByteArray> getUserHandleForUsername(String username) {
        return account(username).flatMap(a -> database.inTransaction(c -> handleOf(c, a.kind(), a.id())));
    }

    @Override
    public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
        return database.inTransaction(c -> Jdbc.rows(c, "SELECT user_kind, user_id FROM gk_webauthn_user"
                + " WHERE user_handle = ?", Jdbc.params(userHandle.getBase64Url())).stream().findFirst()
                .map(row -> row.get("user_kind") + ":" + ((Number) row.get("user_id")).longValue()));
    }

    @Override
    public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
        return lookupAll(credentialId).stream().filter(c -> c.getUserHandle().equals(userHandle)).findFirst();
    }

    @Override
    public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
        return database.inTransaction(c -> Jdbc.rows(c, "SELECT k.credential_id, k.public_key, k.sign_count,"
                + " u.user_handle FROM gk_webauthn_credential k JOIN gk_webauthn_user u ON u.user_kind = k.user_kind"
                + " AND u.user_id = k.user_id WHERE k.credential_id = ?", Jdbc.params(credentialId.getBase64Url()))
                .stream().map(CredentialStore::registered).collect(Collectors.toSet()));
    }

    private static RegisteredCredential registered(Map<String, Object> row) {
        return RegisteredCredential.builder()
                .credentialId(bytes((String) row.get("credential_id")))
                .userHandle(bytes((String) row.get("user_handle")))
                .publicKeyCose(bytes((String) row.get("public_key")))
                .signatureCount(((Number) row.get("sign_count")).longValue())
                .build();
    }

    private static Optional<ByteArray> handleOf(Connection c, Caller.Kind kind, long id) throws SQLException {
        List<Map<String, Object>> rows = Jdbc.rows(c, "SELECT user_handle FROM gk_webauthn_user WHERE user_kind = ?"
                + " AND user_id = ?", Jdbc.params(kindName(kind), id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(bytes((String) rows.get(0).get("user_handle")));
    }

    static ByteArray bytes(String base64Url) {
        try {
            return ByteArray.fromBase64Url(base64Url);
        } catch (Base64UrlException e) {
            throw new IllegalStateException("stored WebAuthn value is not base64url", e);
        }
    }

    public static String kindName(Caller.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
