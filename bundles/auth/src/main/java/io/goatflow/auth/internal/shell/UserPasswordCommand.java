package io.goatflow.auth.internal.shell;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.persistence.Database;
import io.goatflow.rest.Caller;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code gk:user-password <login>}: sets an agent's password from the Karaf shell (asks twice, hidden) or, with
 * {@code --generate}, to a generated one that is printed once. Every session of that agent ends, on every
 * instance. The way back in when the first-run password is lost.
 */
@Command(scope = "gk", name = "user-password", description = "Set or generate an agent's password; ends the agent's sessions")
@Service
public class UserPasswordCommand implements Action {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int MIN_LENGTH = 12;

    @Argument(index = 0, name = "login", required = true, description = "Agent login, for example admin")
    String login;

    @Option(name = "--generate", aliases = "-g", description = "Generate a 20-character password and print it once")
    boolean generate;

    @Reference
    Database database;

    @Reference
    PasswordHashing passwords;

    @Reference
    LoginSessions sessions;

    @Reference
    Session session;

    /** Hidden input on a terminal; a plain line from the input stream when the shell has none (scripts, ssh -T). */
    private String prompt(String text) throws java.io.IOException {
        try {
            return session.readLine(text, '*');
        } catch (UnsupportedOperationException headless) {
            if (piped == null) {
                piped = new java.io.BufferedReader(new java.io.InputStreamReader(session.getKeyboard(),
                        StandardCharsets.UTF_8));
            }
            return piped.readLine();
        }
    }

    private java.io.BufferedReader piped;

    @Override
    public Object execute() throws Exception {
        String password;
        if (generate) {
            SecureRandom random = new SecureRandom();
            StringBuilder generated = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                generated.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            password = generated.toString();
        } else {
            password = prompt("New password: ");
            String again = prompt("Repeat it: ");
            if (password == null || !password.equals(again)) {
                System.err.println("The two entries differ; nothing changed.");
                return null;
            }
        }
        if (password.length() < MIN_LENGTH
                || password.getBytes(StandardCharsets.UTF_8).length > PasswordHashing.MAX_PASSWORD_BYTES) {
            System.err.println("A password needs at least " + MIN_LENGTH + " characters and at most "
                    + PasswordHashing.MAX_PASSWORD_BYTES + " bytes; nothing changed.");
            return null;
        }
        String hash = passwords.hash(password);
        Long id = database.inTransaction(c -> {
            try (PreparedStatement find = c.prepareStatement("SELECT id FROM users WHERE login = ?")) {
                find.setString(1, login);
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long userId = rs.getLong(1);
                    try (PreparedStatement update = c.prepareStatement(
                            "UPDATE users SET pw = ?, change_time = ?, change_by = 1 WHERE id = ?")) {
                        update.setString(1, hash);
                        update.setTimestamp(2, Timestamp.from(Instant.now()));
                        update.setLong(3, userId);
                        update.executeUpdate();
                    }
                    return userId;
                }
            }
        });
        if (id == null) {
            System.err.println("No agent with login '" + login + "'; nothing changed.");
            return null;
        }
        int ended = sessions.revokeAll(id, Caller.Kind.AGENT);
        System.out.println("Password of '" + login + "' changed; " + ended + " session(s) ended.");
        if (generate) {
            System.out.println("New password (shown only this once): " + password);
        }
        return null;
    }
}
