package io.goatflow.pluginhost.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

public class SqlSandboxTest {
    private static final Predicate<String> READ = t -> PluginPolicy.matches(List.of("ticket", "queue",
            "ticket_state*", "stats_*"), t);
    private static final Predicate<String> WRITE = t -> PluginPolicy.matches(List.of("stats_*"), t);
    private static final Predicate<String> FOREIGN = t -> t.startsWith("hello_");

    private static Set<String> read(String sql) throws SqlSandbox.Refused {
        return SqlSandbox.check(sql, SqlSandbox.Kind.READ, READ, WRITE, FOREIGN);
    }

    private static Set<String> write(String sql) throws SqlSandbox.Refused {
        return SqlSandbox.check(sql, SqlSandbox.Kind.WRITE, READ, WRITE, FOREIGN);
    }

    @Test
    public void allowedStatementsPassAndNameTheirTables() throws Exception {
        assertEquals(Set.of("ticket", "queue"), read("SELECT q.name, COUNT(*) FROM ticket t JOIN queue q "
                + "ON q.id = t.queue_id WHERE t.queue_id IN (?, ?) GROUP BY q.name ORDER BY 2 DESC LIMIT 10"));
        assertEquals(Set.of("ticket", "ticket_state", "ticket_state_type"), read("SELECT s.name FROM ticket_state s "
                + "JOIN ticket_state_type y ON y.id = s.type_id WHERE s.id IN (SELECT ticket_state_id FROM ticket)"));
        assertEquals(Set.of("ticket"), read("WITH recent AS (SELECT id FROM ticket WHERE id > ?) "
                + "SELECT COUNT(*) FROM recent"));
        assertEquals(Set.of("stats_cache"), write("INSERT INTO stats_cache (k, v) VALUES (?, ?)"));
        assertEquals(Set.of("stats_cache", "ticket"),
                write("DELETE FROM stats_cache WHERE k NOT IN (SELECT CAST(id AS VARCHAR) FROM ticket)"));
        assertEquals(Set.of("stats_cache"), write("UPDATE \"stats_cache\" SET v = ? WHERE k = ?"));
    }

    @Test
    public void hostileStatementsAreRefused() {
        List<String> reads = List.of(
                "DROP TABLE ticket",
                "TRUNCATE TABLE ticket",
                "ALTER TABLE ticket ADD COLUMN x INT",
                "CREATE TABLE stats_x (id INT)",
                "CREATE ALIAS EXEC AS 'String e(String c) { return c; }'",
                "GRANT ALL ON ticket TO PUBLIC",
                "SELECT * FROM users",
                "SELECT pw FROM customer_user",
                "SELECT * FROM gk_session",
                "SELECT * FROM sysconfig_modified",
                "SELECT * FROM article",
                "SELECT * FROM hello_greetings",
                "SELECT * FROM ticket; DROP TABLE ticket",
                "SELECT * FROM ticket; SELECT * FROM users",
                "SELECT id FROM ticket UNION SELECT id FROM users",
                "SELECT id FROM ticket WHERE id IN (SELECT id FROM gk_session)",
                "SELECT (SELECT pw FROM users WHERE id = 1) FROM ticket",
                "WITH u AS (SELECT * FROM users) SELECT * FROM u",
                // places JSqlParser's own visitors do not look into, and CTEs that take a table's name
                "SELECT (ARRAY[1])[(SELECT COUNT(*) FROM users)] FROM queue",
                "WITH users AS (SELECT * FROM users) SELECT * FROM users",
                "WITH ticket AS (SELECT 1 AS id) SELECT id FROM ticket",
                "SELECT * FROM ticket t JOIN users u ON u.id = t.user_id",
                "SELECT * FROM public.users",
                "SELECT * FROM information_schema.tables",
                "SELECT * FROM pg_catalog.pg_authid",
                "SELECT * FROM pg_shadow",
                "SELECT FILE_READ('/etc/passwd') FROM ticket",
                "SELECT pg_read_file('/etc/passwd')",
                "SELECT * FROM CSVREAD('/etc/passwd')",
                "SELECT pg_sleep(100)",
                "SELECT lo_import('/etc/passwd')",
                "SELECT * FROM ticket /* comment */ ; DELETE FROM ticket",
                "SELECT * FROM \"USERS\"",
                "SELECT * INTO stats_copy FROM ticket",
                "SELECT current_setting('data_directory')",
                "DELETE FROM ticket",
                "this is not sql",
                "",
                "CALL something()",
                "COPY ticket TO '/tmp/x'",
                "SET search_path TO evil");
        for (String sql : reads) {
            try {
                read(sql);
                fail("allowed: " + sql);
            } catch (SqlSandbox.Refused expected) {
                assertTrue(!expected.getMessage().isBlank(), sql);
            }
        }
        List<String> writes = List.of(
                "UPDATE ticket SET title = 'x'",
                "DELETE FROM ticket WHERE id = 1",
                "INSERT INTO users (login) VALUES ('x')",
                "INSERT INTO stats_cache SELECT * FROM users",
                "UPDATE stats_cache SET v = (SELECT pw FROM users WHERE id = 1)",
                "SELECT * FROM stats_cache",
                "MERGE INTO stats_cache USING ticket ON (1=1) WHEN MATCHED THEN DELETE",
                "INSERT INTO hello_greetings VALUES (1)");
        for (String sql : writes) {
            try {
                write(sql);
                fail("allowed: " + sql);
            } catch (SqlSandbox.Refused expected) {
                assertTrue(!expected.getMessage().isBlank(), sql);
            }
        }
    }
}
