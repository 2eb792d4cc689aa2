-- Articles, their bodies and files, and ticket history carry their ticket's organisation too (tickets never move
-- between organisations), so a plugin's SQL on these tables is confined to one organisation like its SQL on ticket.
ALTER TABLE article ADD COLUMN org_id BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE article_data_mime ADD COLUMN org_id BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE article_data_mime_attachment ADD COLUMN org_id BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE ticket_history ADD COLUMN org_id BIGINT DEFAULT 0 NOT NULL;
UPDATE article SET org_id = (SELECT t.org_id FROM ticket t WHERE t.id = article.ticket_id);
UPDATE article_data_mime SET org_id = (SELECT a.org_id FROM article a WHERE a.id = article_data_mime.article_id);
UPDATE article_data_mime_attachment SET org_id = (SELECT a.org_id FROM article a
    WHERE a.id = article_data_mime_attachment.article_id);
UPDATE ticket_history SET org_id = (SELECT t.org_id FROM ticket t WHERE t.id = ticket_history.ticket_id);
