package io.goatflow.mail.internal;

import io.goatflow.mail.MailException;
import io.goatflow.mail.MailSender;
import io.goatflow.mail.OutgoingMail;
import jakarta.activation.DataHandler;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MailSender} over SMTP with Jakarta Mail (Eclipse Angus). Jakarta Mail finds its transport and stream
 * providers through {@code ServiceLoader} on the thread's context class loader, which in OSGi knows none of them, so
 * each send runs with {@link MailClassLoader} (the mail and activation bundles) as context class loader. Bodies are
 * byte data sources, so no MIME content handler is ever needed.
 */
@Component(service = MailSender.class, configurationPid = "io.goatflow.mail")
@Designate(ocd = SmtpConfig.class)
public final class SmtpMailSender implements MailSender {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailSender.class);
    static final String PASSWORD_ENV = "GOATFLOW_SMTP_PASSWORD";

    private final SmtpConfig config;
    private final String password;
    private final ClassLoader mailLoader = new MailClassLoader();

    @Activate
    public SmtpMailSender(SmtpConfig config) {
        this(config, System.getenv(PASSWORD_ENV));
    }

    SmtpMailSender(SmtpConfig config, String password) {
        this.config = config;
        this.password = password;
        if (!configured()) {
            LOG.info("Mail is not configured (set host and from in etc/io.goatflow.mail.cfg)");
        }
    }

    @Override
    public boolean configured() {
        return !config.host().isBlank() && !config.from().isBlank();
    }

    @Override
    public void send(OutgoingMail mail) {
        if (!configured()) {
            throw new MailException(MailException.NOT_CONFIGURED, "Mail is not configured");
        }
        List<InternetAddress> recipients = recipients(mail.to());
        String subject = mail.subject() == null ? "" : mail.subject();
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0 || subject.length() > 998) {
            throw new MailException(MailException.INVALID, "The subject must be one line of at most 998 characters");
        }
        String text = mail.text() == null ? "" : mail.text();
        int size = text.length() + (mail.html() == null ? 0 : mail.html().length());
        if (size > config.max_body_chars()) {
            throw new MailException(MailException.INVALID, "The body is larger than " + config.max_body_chars()
                    + " characters");
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(mailLoader);
        try {
            MimeMessage message = new MimeMessage(session());
            message.setFrom(new InternetAddress(config.from(), true));
            message.setRecipients(Message.RecipientType.TO, recipients.toArray(InternetAddress[]::new));
            message.setSubject(subject, "UTF-8");
            message.setSentDate(new Date());
            if (mail.html() == null || mail.html().isBlank()) {
                message.setDataHandler(body(text, "text/plain"));
            } else if (text.isBlank()) {
                message.setDataHandler(body(mail.html(), "text/html"));
            } else {
                MimeMultipart alternative = new MimeMultipart("alternative");
                alternative.addBodyPart(part(text, "text/plain"));
                alternative.addBodyPart(part(mail.html(), "text/html"));
                message.setContent(alternative);
            }
            message.saveChanges();
            Transport.send(message);
            LOG.info("Mail sent to {} recipient(s)", recipients.size());
        } catch (AddressException e) {
            throw new MailException(MailException.NOT_CONFIGURED, "The configured sender address is not valid");
        } catch (MessagingException e) {
            // the server's reason, without the stack: it names the refusal (auth, relay, size) well enough
            LOG.warn("Sending mail failed: {}", e.getMessage());
            throw new MailException(MailException.FAILED, "The mail server did not accept the message: "
                    + e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private List<InternetAddress> recipients(List<String> to) {
        if (to.isEmpty() || to.size() > config.max_recipients()) {
            throw new MailException(MailException.INVALID, "A message needs 1 to " + config.max_recipients()
                    + " recipients");
        }
        List<InternetAddress> out = new ArrayList<>();
        for (String address : to) {
            try {
                InternetAddress parsed = new InternetAddress(address == null ? "" : address.trim(), true);
                if (parsed.getAddress().indexOf('@') < 1) {
                    throw new AddressException("no domain");
                }
                out.add(parsed);
            } catch (AddressException e) {
                throw new MailException(MailException.INVALID, "Not a valid email address: " + address);
            }
        }
        return out;
    }

    private Session session() {
        Properties p = new Properties();
        String security = config.security().toLowerCase(Locale.ROOT);
        String protocol = "tls".equals(security) ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", config.host());
        p.put("mail." + protocol + ".port", String.valueOf(config.port()));
        p.put("mail." + protocol + ".connectiontimeout", String.valueOf(config.timeout_ms()));
        p.put("mail." + protocol + ".timeout", String.valueOf(config.timeout_ms()));
        p.put("mail." + protocol + ".writetimeout", String.valueOf(config.timeout_ms()));
        if (security.startsWith("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", String.valueOf("starttls-required".equals(security)));
        }
        if ("tls".equals(security) || "starttls-required".equals(security)) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        if (config.username().isBlank()) {
            return Session.getInstance(p);
        }
        p.put("mail." + protocol + ".auth", "true");
        String user = config.username();
        String secret = password == null ? "" : password;
        return Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, secret);
            }
        });
    }

    private static DataHandler body(String content, String type) {
        return new DataHandler(new ByteArrayDataSource(content.getBytes(StandardCharsets.UTF_8),
                type + "; charset=UTF-8"));
    }

    private static MimeBodyPart part(String content, String type) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(body(content, type));
        return part;
    }
}
