package io.goatflow.tickets.internal.shell;

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

/** Completes the names of valid groups. */
@Service
public class GroupNameCompleter implements Completer {
    @Reference
    Database database;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (Map<String, Object> row : database.inTransaction(c -> Jdbc.rows(c,
                "SELECT name FROM groups WHERE valid_id = 1 ORDER BY name", List.of()))) {
            names.getStrings().add((String) row.get("name"));
        }
        return names.complete(session, commandLine, candidates);
    }
}
