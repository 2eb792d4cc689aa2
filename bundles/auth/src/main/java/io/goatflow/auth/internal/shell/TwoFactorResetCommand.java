package io.goatflow.auth.internal.shell;

import io.goatflow.auth.internal.SecondFactors;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.Caller;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code gk:user-2fa-reset <login>}: the administrators' override from the Karaf shell, for when the only
 * administrator lost their authenticator (the REST override needs a signed-in administrator). Same effect and
 * audit entry as {@code DELETE /api/v1/users/{id}/two-factor}; {@code --customer} for customer users.
 */
@Command(scope = "gk", name = "user-2fa-reset",
        description = "Remove an account's second factors (TOTP, recovery codes, passkeys, security keys); ends its"
                + " sessions; audit-logged")
@Service
public class TwoFactorResetCommand implements Action {

    @Argument(index = 0, name = "login", required = true, description = "Agent login (or customer login with -c)")
    @Completion(AgentLoginCompleter.class)
    String login;

    @Option(name = "--customer", aliases = "-c", description = "The login is a customer user's")
    boolean customer;

    @Reference
    Database database;

    @Reference
    SecondFactors factors;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        Caller.Kind kind = customer ? Caller.Kind.CUSTOMER : Caller.Kind.AGENT;
        String table = customer ? "customer_user" : "users";
        List<Map<String, Object>> found = database.inTransaction(c -> Jdbc.rows(c, "SELECT id FROM " + table
                + " WHERE login = ?", Jdbc.params(login)));
        if (found.isEmpty()) {
            System.err.println("No " + (customer ? "customer user" : "agent") + " with login '" + login
                    + "'; nothing changed.");
            return null;
        }
        long id = ((Number) found.get(0).get("id")).longValue();
        Object shellUser = session == null ? null : session.get("USER");
        SecondFactors.Reset done = factors.reset(kind, id, 0, "Karaf shell, user " + shellUser, null);
        if (done.cleared() || done.keysRemoved() > 0) {
            System.out.println("Second factor of '" + login + "' removed (" + (done.cleared() ? "TOTP and recovery codes, "
                    : "") + done.keysRemoved() + " passkey(s) or security key(s)); " + done.sessionsEnded()
                    + " session(s) ended.");
        } else {
            System.out.println("'" + login + "' had no second factor on; nothing else changed.");
        }
        return null;
    }
}
