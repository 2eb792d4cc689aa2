package io.goatflow.persistence.internal;

import java.sql.SQLException;

/** A migration that cannot succeed by retrying: bad SQL, or an applied script edited afterwards. */
final class MigrationException extends SQLException {
    private static final long serialVersionUID = 1L;

    MigrationException(String message) {
        super(message);
    }

    MigrationException(String message, SQLException cause) {
        super(message, cause);
    }
}
