package io.goatflow.persistence;

import java.sql.SQLException;

/**
 * An SQL failure surfaced to callers that cannot do anything about it but report it. The cause keeps the driver's
 * exception, so the REST layer can tell an unreachable database (503) from a programming error (500).
 */
public class DataAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, SQLException cause) {
        super(message, cause);
    }
}
