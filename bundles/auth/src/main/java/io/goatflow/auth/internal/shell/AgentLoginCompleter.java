package io.goatflow.auth.internal.shell;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes agent logins (the first 200 that start with what was typed). */
@Service
public class AgentLoginCompleter implements Completer {
    @Reference
    Database database;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String typed = commandLine.getCursorArgument() == null ? ""
                : commandLine.getCursorArgument().substring(0, commandLine.getArgumentPosition());
        StringsCompleter logins = new StringsCompleter();
        String like = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        for (Map<String, Object> row : database.inTransaction(c -> Jdbc.rows(c,
                "SELECT login FROM users WHERE login LIKE ? ORDER BY login LIMIT 200", List.of(like)))) {
            logins.getStrings().add((String) row.get("login"));
        }
        return logins.complete(session, commandLine, candidates);
    }
}
