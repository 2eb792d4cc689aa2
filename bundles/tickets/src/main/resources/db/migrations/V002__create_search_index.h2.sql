-- Word index for ticket search: one row per distinct word of a ticket title (article_id 0) or article body.
-- Words compare byte-wise, so a prefix search is an index range scan.
CREATE TABLE gk_ticket_search_word (
    word VARCHAR(64) NOT NULL,
    ticket_id BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    visible_for_customer SMALLINT NOT NULL,
    CONSTRAINT gk_ticket_search_word_pk PRIMARY KEY (word, ticket_id, article_id)
);
CREATE INDEX gk_ticket_search_word_ticket ON gk_ticket_search_word (ticket_id, article_id);
