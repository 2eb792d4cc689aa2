-- The organisation a ticket belongs to (0 = none: single-tenant mode, or created outside every organisation).
-- Articles, attachments and history belong to their ticket's organisation. The list indexes lead with org_id so
-- a scoped list walks one organisation's part of the index.
ALTER TABLE ticket ADD COLUMN org_id BIGINT DEFAULT 0 NOT NULL;
DROP INDEX ticket_archive_created;
DROP INDEX ticket_archive_changed;
DROP INDEX ticket_archive_priority;
CREATE INDEX ticket_org_archive_created ON ticket (org_id, archive_flag, create_time);
CREATE INDEX ticket_org_archive_changed ON ticket (org_id, archive_flag, change_time);
CREATE INDEX ticket_org_archive_priority ON ticket (org_id, archive_flag, ticket_priority_id);
CREATE INDEX ticket_org_queue_state ON ticket (org_id, queue_id, ticket_state_id);
