package io.goatflow.pluginhost.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code gk:plugin-disable <name>}: its routes answer 404 and its calls are refused, on every instance; data is kept. */
@Command(scope = "gk", name = "plugin-disable", description = "Disable a plugin (kept in sysconfig); its routes answer 404")
@Service
public class PluginDisableCommand implements Action {
    @Argument(index = 0, name = "name", required = true, description = "Plugin name")
    @Completion(PluginNameCompleter.class)
    String name;

    @Reference
    PluginHost host;

    @Override
    public Object execute() {
        return ShellSupport.setEnabled(host, name, false);
    }
}
