package io.goatflow.pluginhost.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code gk:plugin-enable <name>}: routes, widgets and calls of the plugin answer again, on every instance. */
@Command(scope = "gk", name = "plugin-enable", description = "Enable a plugin (kept in sysconfig)")
@Service
public class PluginEnableCommand implements Action {
    @Argument(index = 0, name = "name", required = true, description = "Plugin name")
    @Completion(PluginNameCompleter.class)
    String name;

    @Reference
    PluginHost host;

    @Override
    public Object execute() {
        return ShellSupport.setEnabled(host, name, true);
    }
}
