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

    /** The driver's SQLState, or null. */
    public String sqlState() {
        return getCause() instanceof SQLException sql ? sql.getSQLState() : null;
    }

    /** Whether a unique, foreign-key or check constraint refused the write (SQLState class 23). */
    public boolean isConstraintViolation() {
        String state = sqlState();
        return state != null && state.startsWith("23");
    }

    /** Whether a unique constraint refused the write (SQLState 23505 on H2 and PostgreSQL). */
    public boolean isUniqueViolation() {
        return "23505".equals(sqlState());
    }
}
