package io.goatflow.securesettings.internal;

import io.goatflow.securesettings.SecureSettingInfo;
import io.goatflow.securesettings.SecureSettings;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code gk:secure-list [--namespace <ns>] [--org <id>]}: stored secure settings, masked, with their key ids. */
@Command(scope = "gk", name = "secure-list", description = "List secure settings (values masked)")
@Service
public class SecureListCommand implements Action {
    @Option(name = "--namespace", aliases = "-n", description = "Only this namespace (a plugin name or core)")
    String namespace;

    @Option(name = "--org", aliases = "-o", description = "Only this organisation (0 = global)")
    Long orgId;

    @Reference
    SecureSettings settings;

    @Override
    public Object execute() {
        List<SecureSettingInfo> rows;
        try {
            rows = settings.list(namespace, orgId);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Org").alignRight();
        table.column("Namespace");
        table.column("Name");
        table.column("Value");
        table.column("Key");
        table.column("Changed");
        table.column("By").alignRight();
        for (SecureSettingInfo row : rows) {
            table.addRow().addContent(row.orgId(), row.namespace(), row.name(),
                    row.readable() ? row.maskedValue() : "(unreadable)", row.keyId(),
                    row.changedAt() == null ? "" : row.changedAt().toString(), row.changedBy());
        }
        table.print(System.out);
        long unreadable = rows.stream().filter(r -> !r.readable()).count();
        System.out.println(rows.size() + " setting(s); current key " + settings.currentKeyId()
                + (unreadable == 0 ? "" : "; " + unreadable + " cannot be decrypted with the configured keys"));
        return null;
    }
}
