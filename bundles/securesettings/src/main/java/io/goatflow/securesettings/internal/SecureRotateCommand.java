package io.goatflow.securesettings.internal;

import io.goatflow.securesettings.RotationResult;
import io.goatflow.securesettings.SecureSettings;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code gk:secure-rotate}: re-encrypts every secure setting that is not under the current key (after a new key was
 * made current and the old one kept as a previous key on every instance).
 */
@Command(scope = "gk", name = "secure-rotate", description = "Re-encrypt secure settings with the current key")
@Service
public class SecureRotateCommand implements Action {
    @Reference
    SecureSettings settings;

    @Override
    public Object execute() {
        RotationResult result = settings.rotate();
        System.out.println("Current key:  " + result.currentKeyId());
        System.out.println("Re-encrypted: " + result.rotated());
        System.out.println("Unreadable:   " + result.unreadable()
                + (result.unreadable() == 0 ? "" : " (left as they are: their key is missing or the data was changed;"
                        + " see the log and gk:secure-list)"));
        System.out.println("Skipped:      " + result.skipped()
                + (result.skipped() == 0 ? "" : " (changed during the run; run gk:secure-rotate again)"));
        return null;
    }
}
