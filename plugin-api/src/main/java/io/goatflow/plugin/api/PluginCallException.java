package io.goatflow.plugin.api;

/** A plugin call that failed, with a machine-readable code (prefixed with the plugin name by the host). */
public class PluginCallException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    public PluginCallException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
