package io.goatflow.pluginhost.internal;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Tab completion of plugin names for the gk:plugin-* commands. */
@Service
public class PluginNameCompleter implements Completer {
    @Reference
    PluginHost host;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        host.list().stream().filter(e -> e.status != PluginHost.Status.INVALID)
                .forEach(e -> names.getStrings().add(e.name));
        return names.complete(session, commandLine, candidates);
    }
}
