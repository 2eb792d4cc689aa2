-- The ticket list orders by creation or change time within the non-archived tickets of the caller's queues.
CREATE INDEX ticket_archive_created ON ticket (archive_flag, create_time);
CREATE INDEX ticket_archive_changed ON ticket (archive_flag, change_time);
CREATE INDEX ticket_queue_state ON ticket (queue_id, ticket_state_id);
CREATE INDEX ticket_archive_priority ON ticket (archive_flag, ticket_priority_id);
