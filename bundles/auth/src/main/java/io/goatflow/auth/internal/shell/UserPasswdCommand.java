package io.goatflow.auth.internal.shell;

import io.goatflow.auth.LoginSessions;
import io.goatflow.auth.PasswordHashing;
import io.goatflow.persistence.Database;
import io.goatflow.rest.Caller;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code gk:user-passwd <login>}: sets an agent's password from the Karaf shell (asks twice, hidden) or, with
 * {@code --generate}, to a generated one that is printed once. Every session of that agent ends, on every
 * instance. The way back in when the first-run password is lost.
 */
@Command(scope = "gk", name = "user-passwd", description = "Set or generate an agent's password; ends the agent's sessions")
@Service
public class UserPasswdCommand implements Action {

    @Argument(index = 0, name = "login", required = true, description = "Agent login, for example admin")
    @Completion(AgentLoginCompleter.class)
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

    @Override
    public Object execute() throws Exception {
        String password = generate ? PasswordInput.generate() : new PasswordInput(session).typedTwice();
        if (password == null) {
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
