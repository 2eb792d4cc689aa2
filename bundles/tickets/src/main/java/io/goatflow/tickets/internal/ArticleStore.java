package io.goatflow.tickets.internal;

import io.goatflow.persistence.Jdbc;
import io.goatflow.auth.Permissions;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.tickets.Article;
import io.goatflow.tickets.ArticleChanges;
import io.goatflow.tickets.Attachment;
import io.goatflow.tickets.AttachmentContent;
import io.goatflow.tickets.NewArticle;
import io.goatflow.tickets.NewAttachment;
import io.goatflow.tickets.Ticket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Articles ({@code article} + {@code article_data_mime}) and their attachments, inside the caller's transaction. */
final class ArticleStore {
    static final int BODY_MAX = 1_000_000;
    private static final Map<String, Integer> CHANNELS = Map.of("email", 1, "phone", 2, "note", 3, "internal", 3);
    private static final String SELECT = "SELECT a.id, a.ticket_id, cc.name AS channel, sst.name AS sender_type,"
            + " a.is_visible_for_customer, m.a_from, m.a_to, m.a_cc, m.a_subject, m.a_content_type, m.a_body,"
            + " a.create_time, a.create_by, a.change_time FROM article a"
            + " JOIN article_data_mime m ON m.article_id = a.id"
            + " JOIN communication_channel cc ON cc.id = a.communication_channel_id"
            + " JOIN article_sender_type sst ON sst.id = a.article_sender_type_id";

    List<Article> list(Connection c, long ticketId, boolean customerView) throws SQLException {
        String sql = SELECT + " WHERE a.ticket_id = ?" + (customerView ? " AND a.is_visible_for_customer = 1" : "")
                + " ORDER BY a.create_time, a.id";
        List<Article> result = new ArrayList<>();
        Map<Long, List<Attachment>> files = attachmentsOfTicket(c, ticketId);
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, ticketId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.add(article(rs, files.getOrDefault(rs.getLong("id"), List.of())));
                }
            }
        }
        return result;
    }

    Optional<Article> get(Connection c, long ticketId, long articleId, boolean customerView) throws SQLException {
        String sql = SELECT + " WHERE a.ticket_id = ? AND a.id = ?"
                + (customerView ? " AND a.is_visible_for_customer = 1" : "");
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, ticketId);
            q.setLong(2, articleId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(article(rs, attachments(c, articleId))) : Optional.empty();
            }
        }
    }

    private static Article article(ResultSet rs, List<Attachment> attachments) throws SQLException {
        String type = rs.getString("a_content_type");
        String body = rs.getString("a_body");
        if (isHtml(type)) {
            body = HtmlSanitizer.clean(body); // again on read: rows may predate the current safelist
        }
        String channel = rs.getString("channel").toLowerCase(Locale.ROOT);
        return new Article(rs.getLong("id"), rs.getLong("ticket_id"), "internal".equals(channel) ? "note" : channel,
                rs.getString("sender_type"), rs.getInt("is_visible_for_customer") == 1, rs.getString("a_from"),
                rs.getString("a_to"), rs.getString("a_cc"), rs.getString("a_subject"), baseType(type), body,
                attachments, Jdbc.instant(rs, "create_time"), rs.getLong("create_by"),
                Jdbc.instant(rs, "change_time"));
    }

    /**
     * Validates and writes an article with its inline attachments; returns its id. {@code first} marks the
     * article that opens a ticket (its history entry is the NewTicket one).
     */
    long add(Connection c, DatabaseTicketService tickets, Access access, TicketRows.Row row, NewArticle request,
            boolean first) throws SQLException {
        Caller caller = access.caller;
        TicketSettings settings = access.settings;
        Ticket t = row.ticket();
        String channelName;
        boolean visible;
        int sender;
        String historyType;
        if (caller.isCustomer()) {
            if (request.channel() != null && !request.channel().isBlank()
                    && !"web".equalsIgnoreCase(request.channel().trim())) {
                throw ApiException.validation("channel: customers write web messages only");
            }
            if (Boolean.FALSE.equals(request.visibleForCustomer())) {
                throw ApiException.validation("visible_for_customer: customer messages are always visible");
            }
            channelName = "internal";
            visible = true;
            sender = 3;
            historyType = first ? null : "FollowUp";
        } else {
            channelName = request.channel() == null || request.channel().isBlank() ? "note"
                    : request.channel().trim().toLowerCase(Locale.ROOT);
            if (!CHANNELS.containsKey(channelName)) {
                throw ApiException.validation("channel must be one of note, phone, email");
            }
            boolean note = CHANNELS.get(channelName) == 3;
            visible = request.visibleForCustomer() == null ? !note : request.visibleForCustomer();
            sender = 1;
            if (!first) {
                access.require(row.groupId(), note ? Permissions.NOTE : Permissions.RW,
                        "add " + (note ? "notes" : channelName + " articles"));
            }
            historyType = first ? null : switch (channelName) {
                case "email" -> "EmailAgent";
                case "phone" -> "PhoneCallAgent";
                default -> "AddNote";
            };
        }
        String contentType = contentType(request.contentType());
        String body = body(request.body(), contentType);
        String subject = request.subject() == null || request.subject().isBlank() ? t.title()
                : DatabaseTicketService.requiredText("subject", request.subject(), DatabaseTicketService.subjectMax());
        // a customer's message is from them; addressing is for agents
        String from = caller.isCustomer() ? caller.login() : optionalHeader("from", request.from(), caller.login());
        String to = caller.isCustomer() ? null : optionalHeader("to", request.to(), null);
        String cc = caller.isCustomer() ? null : optionalHeader("cc", request.cc(), null);
        Instant now = Instant.now();
        long actor = caller.isAgent() ? caller.id() : DatabaseTicketService.SYSTEM_USER;
        // articles, bodies and files carry their ticket's organisation (plugins' SQL is confined by it)
        long articleId = Jdbc.insert(c, "INSERT INTO article (ticket_id, article_sender_type_id,"
                + " communication_channel_id, is_visible_for_customer, search_index_needs_rebuild, create_time,"
                + " create_by, change_time, change_by, org_id) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?,"
                + " (SELECT org_id FROM ticket WHERE id = ?))",
                Jdbc.params(t.id(), sender, CHANNELS.get(channelName), visible ? 1 : 0, now, actor, now, actor,
                        t.id()));
        Jdbc.update(c, "INSERT INTO article_data_mime (article_id, a_from, a_to, a_cc, a_subject, a_content_type,"
                + " a_body, incoming_time, create_time, create_by, change_time, change_by, org_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT org_id FROM article WHERE id = ?))",
                Jdbc.params(articleId, from, to, cc, subject, contentType + "; charset=utf-8", body,
                        (int) now.getEpochSecond(), now, actor, now, actor, articleId));
        long added = 0;
        if (request.attachments() != null) {
            for (NewAttachment file : request.attachments()) {
                if (file == null) {
                    throw ApiException.validation("attachments: an entry is empty");
                }
                byte[] content = file.content();
                if (content == null) {
                    throw ApiException.validation("attachments: content_base64 of '" + file.filename()
                            + "' is missing or not valid base64");
                }
                addAttachment(c, t.id(), articleId, file.filename(), file.contentType(), content, settings, actor,
                        added);
                added += content.length;
            }
        }
        SearchIndex.indexArticle(c, t.id(), articleId, visible, subject, isHtml(contentType)
                ? HtmlSanitizer.text(body) : body);
        if (first) {
            SearchIndex.indexTitle(c, t.id(), t.title());
        } else {
            if (caller.isCustomer()) {
                // a customer follow-up reopens a closed ticket, as in OTRS
                tickets.reopenRow(c, t, row.stateType(), now, actor);
            }
            DatabaseTicketService.history(c, t.id(), articleId, historyType,
                    (caller.isCustomer() ? "Follow-up from customer " : "Article added by ") + caller.login(), actor);
            DatabaseTicketService.set(c, t.id(), null, null, now, actor);
        }
        return articleId;
    }

    void update(Connection c, DatabaseTicketService tickets, Caller caller, long ticketId, long articleId,
            ArticleChanges changes) throws SQLException {
        Article current = get(c, ticketId, articleId, false).orElseThrow();
        String contentType = changes.contentType() == null ? current.contentType() : contentType(changes.contentType());
        String body = changes.body() == null ? current.body() : body(changes.body(), contentType);
        if (changes.body() == null && !contentType.equals(current.contentType())) {
            body = body(current.body(), contentType);
        }
        String subject = changes.subject() == null ? current.subject()
                : DatabaseTicketService.requiredText("subject", changes.subject(), DatabaseTicketService.subjectMax());
        boolean visible = changes.visibleForCustomer() == null ? current.visibleForCustomer()
                : changes.visibleForCustomer();
        Instant now = Instant.now();
        Jdbc.update(c, "UPDATE article_data_mime SET a_subject = ?, a_body = ?, a_content_type = ?, change_time = ?,"
                + " change_by = ? WHERE article_id = ?",
                Jdbc.params(subject, body, contentType + "; charset=utf-8", now, caller.id(), articleId));
        Jdbc.update(c, "UPDATE article SET is_visible_for_customer = ?, change_time = ?, change_by = ? WHERE id = ?",
                Jdbc.params(visible ? 1 : 0, now, caller.id(), articleId));
        SearchIndex.indexArticle(c, ticketId, articleId, visible, subject,
                isHtml(contentType) ? HtmlSanitizer.text(body) : body);
        DatabaseTicketService.history(c, ticketId, articleId, "ArticleUpdate", "Article " + articleId + " changed",
                caller.id());
        DatabaseTicketService.set(c, ticketId, null, null, now, caller.id());
    }

    void delete(Connection c, long ticketId, long articleId) throws SQLException {
        SearchIndex.remove(c, ticketId, articleId);
        Jdbc.update(c, "DELETE FROM article_data_mime_attachment WHERE article_id = ?", Jdbc.params(articleId));
        Jdbc.update(c, "DELETE FROM article_data_mime WHERE article_id = ?", Jdbc.params(articleId));
        Jdbc.update(c, "DELETE FROM article WHERE id = ?", Jdbc.params(articleId));
    }

    /** Writes one attachment after checking its name, size and the ticket's quota; returns its id. */
    long addAttachment(Connection c, long ticketId, long articleId, String filename, String declaredType,
            byte[] content, TicketSettings settings, long actor, long pendingBytes) throws SQLException {
        String name = new AttachmentPolicy(settings.blockedExtensions()).checkName(filename);
        if (content == null || content.length == 0) {
            throw ApiException.validation("The attachment '" + name + "' is empty");
        }
        if (content.length > settings.maxAttachmentBytes()) {
            throw new ApiException(413, "ATTACHMENT_TOO_LARGE", "The attachment '" + name + "' is larger than "
                    + settings.maxAttachmentBytes() + " bytes");
        }
        long used;
        try (PreparedStatement q = c.prepareStatement("SELECT COALESCE(SUM(LENGTH(x.content)), 0)"
                + " FROM article_data_mime_attachment x JOIN article a ON a.id = x.article_id WHERE a.ticket_id = ?")) {
            q.setLong(1, ticketId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                used = rs.getLong(1);
            }
        }
        if (used + pendingBytes + content.length > settings.ticketQuotaBytes()) {
            throw new ApiException(413, "ATTACHMENT_QUOTA_EXCEEDED", "The attachments of this ticket would exceed "
                    + settings.ticketQuotaBytes() + " bytes");
        }
        String type = AttachmentPolicy.contentType(content, declaredType);
        Instant now = Instant.now();
        return Jdbc.insert(c, "INSERT INTO article_data_mime_attachment (article_id, filename, content_size,"
                + " content_type, disposition, content, create_time, create_by, change_time, change_by, org_id)"
                + " VALUES (?, ?, ?, ?, 'attachment', ?, ?, ?, ?, ?, (SELECT org_id FROM article WHERE id = ?))",
                Jdbc.params(articleId, name, String.valueOf(content.length), type, content, now, actor, now, actor,
                        articleId));
    }

    List<Attachment> attachments(Connection c, long articleId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, article_id, filename, content_type, content_size,"
                + " create_time FROM article_data_mime_attachment WHERE article_id = ? ORDER BY id")) {
            q.setLong(1, articleId);
            List<Attachment> result = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.add(attachment(rs));
                }
            }
            return result;
        }
    }

    private Map<Long, List<Attachment>> attachmentsOfTicket(Connection c, long ticketId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT x.id, x.article_id, x.filename, x.content_type,"
                + " x.content_size, x.create_time FROM article_data_mime_attachment x JOIN article a"
                + " ON a.id = x.article_id WHERE a.ticket_id = ? ORDER BY x.id")) {
            q.setLong(1, ticketId);
            Map<Long, List<Attachment>> result = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Attachment a = attachment(rs);
                    result.computeIfAbsent(a.articleId(), k -> new ArrayList<>()).add(a);
                }
            }
            return result;
        }
    }

    private static Attachment attachment(ResultSet rs) throws SQLException {
        long size;
        try {
            size = Long.parseLong(rs.getString("content_size"));
        } catch (NumberFormatException | NullPointerException e) {
            size = -1;
        }
        return new Attachment(rs.getLong("id"), rs.getLong("article_id"), rs.getString("filename"),
                rs.getString("content_type"), size, Jdbc.instant(rs, "create_time"));
    }

    Optional<AttachmentContent> content(Connection c, long articleId, long attachmentId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, article_id, filename, content_type, content_size,"
                + " create_time, content FROM article_data_mime_attachment WHERE article_id = ? AND id = ?")) {
            q.setLong(1, articleId);
            q.setLong(2, attachmentId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new AttachmentContent(attachment(rs), rs.getBytes("content")))
                        : Optional.empty();
            }
        }
    }

    private static String contentType(String requested) {
        if (requested == null || requested.isBlank()) {
            return "text/plain";
        }
        String type = baseType(requested);
        if (!type.equals("text/plain") && !type.equals("text/html")) {
            throw ApiException.validation("content_type must be text/plain or text/html");
        }
        return type;
    }

    private static String body(String body, String contentType) {
        if (body == null || body.isBlank()) {
            throw ApiException.validation("body is required");
        }
        if (body.length() > BODY_MAX) {
            throw ApiException.validation("body is longer than " + BODY_MAX + " characters");
        }
        if (body.indexOf('\0') >= 0) {
            throw ApiException.validation("body contains a NUL character");
        }
        if (isHtml(contentType)) {
            String clean = HtmlSanitizer.clean(body);
            if (HtmlSanitizer.text(clean).isBlank() && !clean.contains("<img")) {
                throw ApiException.validation("body has no content left after removing unsafe HTML");
            }
            return clean;
        }
        return body;
    }

    private static String optionalHeader(String field, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (value.length() > 3800 || value.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.validation(field + " is too long or contains control characters");
        }
        return value.strip();
    }

    static boolean isHtml(String contentType) {
        return contentType != null && baseType(contentType).equals("text/html");
    }

    static String baseType(String contentType) {
        if (contentType == null) {
            return "text/plain";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
