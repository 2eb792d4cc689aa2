package io.goatflow.mail;

/** Why a message was not sent: {@link #NOT_CONFIGURED}, {@link #INVALID} (the caller's fault) or {@link #FAILED}. */
public class MailException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final String NOT_CONFIGURED = "not_configured";
    public static final String INVALID = "invalid";
    public static final String FAILED = "failed";

    private final String code;

    public MailException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
