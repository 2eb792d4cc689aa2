package io.goatflow.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work run by {@link Database#inTransaction(SqlWork)}. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
