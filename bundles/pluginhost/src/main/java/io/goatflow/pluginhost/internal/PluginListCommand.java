package io.goatflow.pluginhost.internal;

import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code gk:plugin-list}: every discovered plugin with its runtime, state, health and restarts. */
@Command(scope = "gk", name = "plugin-list", description = "List plugins with their state and health")
@Service
public class PluginListCommand implements Action {
    @Reference
    PluginHost host;

    @Reference
    PluginSupervisor supervisor;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Version");
        table.column("Runtime");
        table.column("State");
        table.column("Enabled");
        table.column("Health");
        table.column("Restarts").alignRight();
        table.column("Reason");
        for (PluginHost.Entry e : host.list()) {
            boolean valid = e.status != PluginHost.Status.INVALID;
            Map<String, Object> health = valid ? supervisor.view(e.name) : Map.of();
            table.addRow().addContent(e.name, e.manifest == null ? "" : e.manifest.version(), e.runtime,
                    e.status.name().toLowerCase(java.util.Locale.ROOT), valid && host.enabled(e.name) ? "yes" : "no",
                    health.getOrDefault("status", ""), health.getOrDefault("restarts", ""),
                    e.reason == null ? "" : e.reason);
        }
        table.print(System.out);
        return null;
    }
}
