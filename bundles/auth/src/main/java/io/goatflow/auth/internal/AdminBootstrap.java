package io.goatflow.auth.internal;

import io.goatflow.auth.PasswordHashing;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import java.security.SecureRandom;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: when there is no agent at all, creates {@code admin} (rw in the admin and users groups) with the
 * password from {@code GOATFLOW_ADMIN_PASSWORD}, or a generated one that is printed once. There is no default
 * password. Instances starting together race on the unique login; the loser logs that the account exists.
 */
@Component(service = {}, immediate = true)
public final class AdminBootstrap {
    static final String LOGIN = "admin";
    static final String PASSWORD_ENV = "GOATFLOW_ADMIN_PASSWORD";
    static final int MIN_PASSWORD_LENGTH = 12;
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    @Activate
    public AdminBootstrap(@Reference Database database, @Reference PasswordHashing passwords,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        bootstrap(database, passwords, System::getenv);
    }

    static void bootstrap(Database database, PasswordHashing passwords, Function<String, String> env) {
        String supplied = env.apply(PASSWORD_ENV);
        boolean generated = supplied == null || supplied.isEmpty();
        String password = generated ? generatePassword() : supplied;
        if (!generated && (password.length() < MIN_PASSWORD_LENGTH
                || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PasswordHashing.MAX_PASSWORD_BYTES)) {
            LOG.error("{} must have at least {} characters and at most {} bytes (UTF-8); no admin account was created."
                    + " Fix it and restart.", PASSWORD_ENV, MIN_PASSWORD_LENGTH, PasswordHashing.MAX_PASSWORD_BYTES);
            return;
        }
        boolean created;
        try {
            created = database.inTransaction(c -> {
                if (Accounts.anyAgentExists(c)) {
                    return false;
                }
                Accounts.createAgent(c, LOGIN, passwords.hash(password), "Admin", "GoatFlow", 1, "admin", "users");
                return true;
            });
        } catch (DataAccessException e) {
            if (e.getCause() instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                LOG.info("Admin bootstrap skipped: another instance created the first agent at the same moment");
            } else {
                LOG.error("Admin bootstrap failed ({}); no admin account was created. Restart the auth bundle"
                        + " (bundle:restart io.goatflow.auth) once the database is healthy.", e.getMessage());
            }
            return;
        }
        if (!created) {
            return;
        }
        if (generated) {
            // One log line (the log escapes line breaks); the console gets the same as a banner.
            LOG.warn("GoatFlow first start: created agent account 'admin'. Generated password (shown only this once): "
                    + "{} -- set {} before the first start to choose it instead", password, PASSWORD_ENV);
            System.out.println("\n==================================================================\n"
                    + " GoatFlow first start: created agent account 'admin'\n"
                    + " Generated password (shown only this once): " + password + "\n"
                    + " Set " + PASSWORD_ENV + " before the first start to choose it instead.\n"
                    + "==================================================================");
        } else {
            LOG.info("GoatFlow first start: created agent account 'admin' with the password from {}", PASSWORD_ENV);
        }
    }

    /** 20 characters from a 57-symbol alphabet without look-alikes: about 116 bits. */
    static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
