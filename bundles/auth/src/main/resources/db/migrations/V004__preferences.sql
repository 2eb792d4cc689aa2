-- OTRS preference tables: per agent (user_preferences) and per customer user (customer_preferences, keyed by
-- login as in OTRS). GoatFlow keeps UserLanguage and UserTheme here.
CREATE TABLE user_preferences (
    user_id INTEGER NOT NULL,
    preferences_key VARCHAR(150) NOT NULL,
    preferences_value VARCHAR(3000),
    CONSTRAINT user_preferences_key UNIQUE (user_id, preferences_key)
);

CREATE TABLE customer_preferences (
    user_id VARCHAR(250) NOT NULL,
    preferences_key VARCHAR(150) NOT NULL,
    preferences_value VARCHAR(3000),
    CONSTRAINT customer_preferences_key UNIQUE (user_id, preferences_key)
);
