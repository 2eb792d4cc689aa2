package io.goatflow.auth.internal.shell;

import io.goatflow.auth.PasswordHashing;
import io.goatflow.auth.internal.Accounts;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code gk:user-add <login> <first name> <last name>}: creates an agent with rw in the {@code users} group (and
 * the {@code admin} group with {@code --admin}). The password is typed twice, or generated and printed once.
 */
@Command(scope = "gk", name = "user-add", description = "Create an agent (rw in users; --admin adds the admin group)")
@Service
public class UserAddCommand implements Action {
    @Argument(index = 0, name = "login", required = true, description = "Login of the new agent")
    String login;

    @Argument(index = 1, name = "first-name", required = true, description = "First name")
    String firstName;

    @Argument(index = 2, name = "last-name", required = true, description = "Last name")
    String lastName;

    @Option(name = "--admin", description = "Also make the agent an administrator")
    boolean admin;

    @Option(name = "--generate", aliases = "-g", description = "Generate a 20-character password and print it once")
    boolean generate;

    @Reference
    Database database;

    @Reference
    PasswordHashing passwords;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        if (!login.matches("[\\p{L}\\p{N}._@+-]{1,200}")) {
            System.err.println("A login may contain letters, digits and . _ @ + - only; nothing changed.");
            return null;
        }
        String password = generate ? PasswordInput.generate() : new PasswordInput(session).typedTwice();
        if (password == null) {
            return null;
        }
        String hash = passwords.hash(password);
        String[] groups = admin ? new String[] {"users", "admin"} : new String[] {"users"};
        try {
            long id = database.inTransaction(c -> Accounts.createAgent(c, login, hash, firstName, lastName, 1, groups));
            System.out.println("Agent '" + login + "' created with id " + id + (admin ? " (administrator)." : "."));
            if (generate) {
                System.out.println("Password (shown only this once): " + password);
            }
        } catch (DataAccessException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            System.err.println("An agent with login '" + login + "' exists already; nothing changed.");
        }
        return null;
    }
}
