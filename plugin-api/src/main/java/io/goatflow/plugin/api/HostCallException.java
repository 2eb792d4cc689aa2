package io.goatflow.plugin.api;

/**
 * A host call that failed: refused by the sandbox ({@link HostCalls#DENIED}), not available, malformed, or failed
 * in the host. The message is meant for the plugin's log and its caller; it never carries host internals.
 */
public class HostCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public HostCallException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
