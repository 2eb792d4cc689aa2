package io.goatflow.tickets.internal.shell;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code gk:queue-list [--group <name>] [--all]}: queues with their group and open and total ticket counts. */
@Command(scope = "gk", name = "queue-list", description = "List queues with their group and ticket counts")
@Service
public class QueueListCommand implements Action {
    @Option(name = "--group", aliases = "-g", description = "Only queues of this group")
    @Completion(GroupNameCompleter.class)
    String group;

    @Option(name = "--all", aliases = "-a", description = "Include invalid (disabled) queues")
    boolean all;

    @Reference
    Database database;

    @Override
    public Object execute() {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (!all) {
            where.append(" AND q.valid_id = 1");
        }
        if (group != null) {
            where.append(" AND g.name = ?");
            params.add(group);
        }
        List<Map<String, Object>> queues = database.inTransaction(c -> Jdbc.rows(c, "SELECT q.id, q.name,"
                + " g.name AS group_name, q.valid_id,"
                + " (SELECT COUNT(*) FROM ticket t JOIN ticket_state s ON s.id = t.ticket_state_id"
                + " JOIN ticket_state_type st ON st.id = s.type_id WHERE t.queue_id = q.id AND t.archive_flag = 0"
                + " AND st.name IN ('new', 'open', 'pending reminder', 'pending auto')) AS open_tickets,"
                + " (SELECT COUNT(*) FROM ticket t WHERE t.queue_id = q.id) AS all_tickets"
                + " FROM queue q JOIN groups g ON g.id = q.group_id" + where + " ORDER BY q.name", params));
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Queue");
        table.column("Group");
        table.column("Valid");
        table.column("Open").alignRight();
        table.column("Tickets").alignRight();
        for (Map<String, Object> q : queues) {
            table.addRow().addContent(q.get("id"), q.get("name"), q.get("group_name"),
                    Boolean.TRUE.equals(q.get("valid")) ? "yes" : "no", q.get("open_tickets"), q.get("all_tickets"));
        }
        table.print(System.out);
        return null;
    }
}
