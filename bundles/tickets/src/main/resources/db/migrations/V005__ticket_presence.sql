-- Who has a ticket open in the console, shared by every instance: one row per ticket and agent, refreshed while
-- the page is open; rows older than the presence window no longer count and are pruned on write.
CREATE TABLE gk_ticket_presence (
    ticket_id BIGINT NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX gk_ticket_presence_seen ON gk_ticket_presence (last_seen);
