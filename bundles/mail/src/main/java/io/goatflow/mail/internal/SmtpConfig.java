package io.goatflow.mail.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code io.goatflow.mail} (etc/io.goatflow.mail.cfg). The SMTP password is not configuration: it is
 * read from the environment variable {@code GOATFLOW_SMTP_PASSWORD}, so it never lands in a file under etc/.
 */
@ObjectClassDefinition(name = "GoatFlow mail (SMTP)")
public @interface SmtpConfig {
    @AttributeDefinition(description = "SMTP server host; empty means mail is not configured")
    String host() default "";

    @AttributeDefinition(description = "SMTP server port")
    int port() default 25;

    @AttributeDefinition(description = "Sender address of every message, e.g. helpdesk@example.com")
    String from() default "";

    @AttributeDefinition(description = "none, starttls (when the server offers it), starttls-required, or tls")
    String security() default "starttls";

    @AttributeDefinition(description = "SMTP user name; empty means no authentication")
    String username() default "";

    @AttributeDefinition(description = "Connect, read and write timeout")
    int timeout_ms() default 10_000;

    @AttributeDefinition(description = "Most recipients of one message")
    int max_recipients() default 50;

    @AttributeDefinition(description = "Largest body (text plus HTML), in characters")
    int max_body_chars() default 1_000_000;
}
