package io.goatflow.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {

    @Test
    void splitsAtSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE a (x VARCHAR(10) DEFAULT 'a;b');
                /* block; comment */ INSERT INTO a VALUES ('it''s; fine');
                CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql;
                SELECT "odd;name" FROM a
                """;
        List<String> statements = SqlStatements.split(script);
        assertEquals(4, statements.size(), statements.toString());
        assertEquals("CREATE TABLE a (x VARCHAR(10) DEFAULT 'a;b')", statements.get(0));
        assertEquals("INSERT INTO a VALUES ('it''s; fine')", statements.get(1));
        assertEquals("CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql",
                statements.get(2));
        assertEquals("SELECT \"odd;name\" FROM a", statements.get(3));
    }

    @Test
    void emptyScriptHasNoStatements() {
        assertEquals(List.of(), SqlStatements.split("  -- nothing\n ; ;"));
    }
}
