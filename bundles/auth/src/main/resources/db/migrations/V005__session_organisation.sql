-- The organisation a session chose with the org switcher (0 = none chosen: the account's default applies).
ALTER TABLE gk_session ADD COLUMN org_id BIGINT DEFAULT 0 NOT NULL;
