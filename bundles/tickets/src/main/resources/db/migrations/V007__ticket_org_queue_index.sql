-- A list of one queue within one organisation walks this index in creation order instead of every organisation's
-- tickets of that queue (measured by TicketListOrgsBenchmark.oneQueue).
CREATE INDEX ticket_org_archive_queue ON ticket (org_id, archive_flag, queue_id, create_time);
DROP INDEX ticket_org_queue_state;
