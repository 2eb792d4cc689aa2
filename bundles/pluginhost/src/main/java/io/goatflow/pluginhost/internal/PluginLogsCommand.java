package io.goatflow.pluginhost.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code gk:plugin-logs <name> [-n N]}: the newest lines of the plugin's log (host calls refused, restarts, ...). */
@Command(scope = "gk", name = "plugin-logs", description = "Show a plugin's log")
@Service
public class PluginLogsCommand implements Action {
    @Argument(index = 0, name = "name", required = true, description = "Plugin name")
    @Completion(PluginNameCompleter.class)
    String name;

    @Option(name = "-n", description = "Number of lines (newest last)")
    int lines = 50;

    @Reference
    PluginHost host;

    @Override
    public Object execute() {
        if (host.list().stream().noneMatch(e -> e.name.equals(name))) {
            System.err.println("No plugin named " + name);
            return null;
        }
        var all = host.logs().of(name);
        all.stream().skip(Math.max(0, all.size() - Math.max(1, lines)))
                .forEach(l -> System.out.println(l.at() + " " + l.level().toUpperCase(java.util.Locale.ROOT) + " "
                        + l.message()));
        return null;
    }
}
