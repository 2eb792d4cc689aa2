package io.goatflow.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.goatflow.mail.MailException;
import io.goatflow.mail.OutgoingMail;
import jakarta.mail.internet.MimeMessage;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real SMTP server (GreenMail on a free loopback port). */
class SmtpMailSenderTest {
    private GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private SmtpMailSender sender(String host, String from) {
        int port = smtp.getSmtp().getPort();
        return new SmtpMailSender(new SmtpConfig() {
            public Class<? extends Annotation> annotationType() {
                return SmtpConfig.class;
            }

            public String host() {
                return host;
            }

            public int port() {
                return port;
            }

            public String from() {
                return from;
            }

            public String security() {
                return "starttls";
            }

            public String username() {
                return "";
            }

            public int timeout_ms() {
                return 5000;
            }

            public int max_recipients() {
                return 3;
            }

            public int max_body_chars() {
                return 1000;
            }
        }, null);
    }

    @Test
    void plainAndHtmlMessagesArriveIntact() throws Exception {
        SmtpMailSender sender = sender("127.0.0.1", "GoatFlow <helpdesk@goatflow.test>");
        assertTrue(sender.configured());
        sender.send(new OutgoingMail(List.of("ana@example.test"), "Grüße – ticket #1", "Hällo ✓", null));
        sender.send(new OutgoingMail(List.of("bo@example.test", "cy@example.test"), "Report", "plain version",
                "<p>html <b>version</b></p>"));
        assertTrue(smtp.waitForIncomingEmail(5000, 3));
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals("Grüße – ticket #1", received[0].getSubject());
        assertEquals("helpdesk@goatflow.test", ((jakarta.mail.internet.InternetAddress) received[0].getFrom()[0])
                .getAddress());
        assertEquals("Hällo ✓", String.valueOf(received[0].getContent()).trim());
        String raw = GreenMailUtil.getWholeMessage(received[1]);
        assertTrue(raw.contains("multipart/alternative"), raw);
        assertTrue(raw.contains("<p>html <b>version</b></p>"), raw);
        assertTrue(raw.contains("plain version"), raw);
    }

    @Test
    void badMessagesAreRefusedBeforeAnythingIsSent() {
        SmtpMailSender sender = sender("127.0.0.1", "helpdesk@goatflow.test");
        for (OutgoingMail bad : List.of(
                new OutgoingMail(List.of(), "s", "b", null),
                new OutgoingMail(List.of("not an address"), "s", "b", null),
                new OutgoingMail(List.of("a@x.test", "b@x.test", "c@x.test", "d@x.test"), "s", "b", null),
                new OutgoingMail(List.of("a@x.test"), "s\r\nBcc: victim@x.test", "b", null),
                new OutgoingMail(List.of("a@x.test"), "s", "x".repeat(1001), null))) {
            MailException e = assertThrows(MailException.class, () -> sender.send(bad), bad.toString());
            assertEquals(MailException.INVALID, e.code());
        }
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void withoutAServerMailIsNotConfiguredAndAnUnreachableServerFails() {
        SmtpMailSender none = sender("", "helpdesk@goatflow.test");
        assertFalse(none.configured());
        assertEquals(MailException.NOT_CONFIGURED, assertThrows(MailException.class,
                () -> none.send(new OutgoingMail(List.of("a@x.test"), "s", "b", null))).code());
        SmtpMailSender sender = sender("127.0.0.1", "helpdesk@goatflow.test");
        smtp.stop();
        assertEquals(MailException.FAILED, assertThrows(MailException.class,
                () -> sender.send(new OutgoingMail(List.of("a@x.test"), "s", "b", null))).code());
    }
}
