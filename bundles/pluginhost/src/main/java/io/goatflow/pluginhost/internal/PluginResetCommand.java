package io.goatflow.pluginhost.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code gk:plugin-reset <name>}: ends a crash loop so automatic restarts resume (every instance). */
@Command(scope = "gk", name = "plugin-reset", description = "Reset a plugin's crash loop")
@Service
public class PluginResetCommand implements Action {
    @Argument(index = 0, name = "name", required = true, description = "Plugin name")
    @Completion(PluginNameCompleter.class)
    String name;

    @Reference
    PluginHost host;

    @Reference
    PluginSupervisor supervisor;

    @Override
    public Object execute() {
        if (host.get(name).isEmpty()) {
            System.err.println("No plugin named " + name);
            return null;
        }
        supervisor.resetCrashLoop(name, ShellSupport.SYSTEM_USER);
        System.out.println("Crash loop of " + name + " reset; health: " + supervisor.view(name).get("status"));
        return null;
    }
}
