package io.goatflow.pluginhost.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.mail.MailException;
import io.goatflow.mail.MailSender;
import io.goatflow.mail.OutgoingMail;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.plugin.api.HostCallException;
import io.goatflow.plugin.api.HostCalls;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code send_email} {@code {to, subject, body, html}}: recipients limited to the domains the plugin's email
 * permission lists, and at most {@code perMinute} messages a minute per plugin. Every attempt is a row of
 * {@code gk_plugin_mail_log} before the message goes out, and the limit counts those rows, so it holds across
 * instances; when two instances race for the last slot, both may refuse, never both send. Failed sends count too:
 * a plugin cannot hammer a mail server that refuses it.
 */
final class MailCalls {
    static final Duration KEEP = Duration.ofDays(30);
    private final Database database;

    MailCalls(Database database) {
        this.database = database;
    }

    /** What a plugin asked to send, checked against its policy; {@link SqlSandbox.Refused} names the problem. */
    static OutgoingMail message(JsonNode args, PluginPolicy policy) throws SqlSandbox.Refused {
        List<String> to = new ArrayList<>();
        JsonNode value = args.path("to");
        if (value.isArray()) {
            value.forEach(v -> to.add(v.asText()));
        } else if (value.isTextual()) {
            for (String part : value.asText().split(",")) {
                if (!part.isBlank()) {
                    to.add(part.trim());
                }
            }
        }
        if (to.isEmpty()) {
            throw new SqlSandbox.Refused("send_email: to is required");
        }
        for (String address : to) {
            int at = address.lastIndexOf('@');
            String domain = at < 0 ? "" : address.substring(at + 1).replace(">", "").trim().toLowerCase(Locale.ROOT);
            if (!policy.emailDomains().isEmpty() && !HttpCalls.hostAllowed(policy.emailDomains(), domain)) {
                throw new SqlSandbox.Refused("send_email: the recipient domain '" + domain
                        + "' is not in this plugin's email permission");
            }
        }
        String subject = args.path("subject").asText("");
        String body = args.path("body").asText("");
        boolean html = args.path("html").asBoolean(false);
        return new OutgoingMail(to, subject, html ? null : body, html ? body : null);
    }

    /** Reserves a slot under the limit, sends, and records the outcome. */
    void send(String plugin, OutgoingMail mail, MailSender sender, long perMinute) {
        Instant now = Instant.now();
        String recipients = String.join(", ", mail.to());
        String subject = mail.subject() == null ? "" : mail.subject();
        long id = database.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM gk_plugin_mail_log WHERE plugin = ? AND sent_at < ?",
                    Jdbc.params(plugin, now.minus(KEEP)));
            return Jdbc.insert(c, "INSERT INTO gk_plugin_mail_log (plugin, recipients, subject, status, sent_at) "
                    + "VALUES (?, ?, ?, 'sending', ?)", Jdbc.params(plugin, cut(recipients, 4000), cut(subject, 998),
                            now));
        });
        long inWindow = database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT COUNT(*) FROM gk_plugin_mail_log WHERE plugin = ? AND sent_at > ? AND id <= ? "
                    + "AND status <> 'limited'")) {
                Jdbc.bind(q, Jdbc.params(plugin, now.minusSeconds(60), id));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        if (inWindow > perMinute) {
            status(id, "limited");
            throw new HostCallException(HostCalls.DENIED, "send_email: the limit of " + perMinute
                    + " messages a minute is reached; try again later");
        }
        try {
            sender.send(mail);
            status(id, "sent");
        } catch (MailException e) {
            status(id, MailException.INVALID.equals(e.code()) ? "invalid" : "failed");
            throw new HostCallException(MailException.INVALID.equals(e.code()) ? HostCalls.INVALID_ARGUMENTS
                    : MailException.NOT_CONFIGURED.equals(e.code()) ? HostCalls.NOT_AVAILABLE : "mail_failed",
                    "send_email: " + e.getMessage());
        }
    }

    private void status(long id, String status) {
        database.inTransaction(c -> Jdbc.update(c, "UPDATE gk_plugin_mail_log SET status = ? WHERE id = ?",
                Jdbc.params(status, id)));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
