package io.goatflow.mail;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends mail through the configured SMTP server. {@link #send} returns once the server has accepted the message; it
 * fails with {@link MailException} and a code saying whether mail is not configured, the message is invalid, or the
 * server refused or could not be reached. Callers that send on behalf of someone else (plugins) apply their own
 * limits before calling.
 */
@ProviderType
public interface MailSender {

    /** Whether an SMTP server and a sender address are configured. */
    boolean configured();

    void send(OutgoingMail mail) throws MailException;
}
