package io.goatflow.pluginhost.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class OrgScopedSqlTest {
    private static final Predicate<String> ORG_AWARE = Set.of("ticket", "article")::contains;
    private static final long ORG = 1;
    private static final String F_TICKET = "(SELECT * FROM ticket WHERE org_id = 1)";
    private static final String F_ARTICLE = "(SELECT * FROM article WHERE org_id = 1)";
    /** Ids of rows outside org 1; none of them may come back from a query run as org 1. */
    private static final Set<String> FOREIGN_IDS = Set.of("201", "202", "901", "2001", "2002", "9001");

    private static String rewrite(String sql) throws SqlSandbox.Refused {
        return OrgScopedSql.rewrite(sql, ORG_AWARE, ORG);
    }

    // --- shapes -------------------------------------------------------------------------------------------------

    @Test
    public void selectsReadFilteredDerivedTablesNamedLikeTheTable() throws Exception {
        assertEquals("SELECT * FROM " + F_TICKET + " ticket", rewrite("SELECT * FROM ticket"));
        assertEquals("SELECT ticket.id, q.name FROM " + F_TICKET + " ticket JOIN queue q ON q.id = ticket.queue_id "
                + "WHERE ticket.id = ? ORDER BY q.name LIMIT 5",
                rewrite("SELECT ticket.id, q.name FROM ticket JOIN queue q ON q.id = ticket.queue_id "
                        + "WHERE ticket.id = ? ORDER BY q.name LIMIT 5"));
        assertEquals("SELECT a.title, b.title FROM " + F_TICKET + " a LEFT JOIN " + F_TICKET
                + " AS b ON b.queue_id = a.queue_id",
                rewrite("SELECT a.title, b.title FROM ticket a LEFT JOIN ticket AS b ON b.queue_id = a.queue_id"));
        assertEquals("SELECT * FROM " + F_TICKET + " ticket, " + F_ARTICLE + " article",
                rewrite("SELECT * FROM ticket, article"));
        assertEquals("SELECT id FROM " + F_TICKET + " ticket UNION SELECT ticket_id FROM " + F_ARTICLE + " article",
                rewrite("SELECT id FROM ticket UNION SELECT ticket_id FROM article"));
        assertEquals("SELECT q.name FROM queue q WHERE EXISTS (SELECT 1 FROM " + F_TICKET
                + " t WHERE t.queue_id = q.id)",
                rewrite("SELECT q.name FROM queue q WHERE EXISTS (SELECT 1 FROM ticket t WHERE t.queue_id = q.id)"));
        assertEquals("WITH x AS (SELECT id FROM " + F_TICKET + " ticket) SELECT COUNT(*) FROM x",
                rewrite("WITH x AS (SELECT id FROM ticket) SELECT COUNT(*) FROM x"));
    }

    @Test
    public void caseAndQuotingKeepTheirSpellingInTheFilter() throws Exception {
        assertEquals("SELECT * FROM (SELECT * FROM \"TICKET\" WHERE org_id = 1) \"TICKET\"",
                rewrite("SELECT * FROM \"TICKET\""));
        assertEquals("SELECT T.ID FROM (SELECT * FROM TICKET WHERE org_id = 1) T",
                rewrite("SELECT T.ID FROM TICKET T"));
    }

    @Test
    public void subqueriesEverywhereAreFiltered() throws Exception {
        assertEquals("SELECT q.name, (SELECT MAX(t.title) FROM " + F_TICKET + " t WHERE t.queue_id = q.id) AS top "
                + "FROM queue q WHERE q.id IN (SELECT queue_id FROM " + F_TICKET + " ticket) GROUP BY q.name "
                + "HAVING COUNT(*) > (SELECT COUNT(*) FROM " + F_ARTICLE + " article)",
                rewrite("SELECT q.name, (SELECT MAX(t.title) FROM ticket t WHERE t.queue_id = q.id) AS top "
                        + "FROM queue q WHERE q.id IN (SELECT queue_id FROM ticket) GROUP BY q.name "
                        + "HAVING COUNT(*) > (SELECT COUNT(*) FROM article)"));
        // JSqlParser's own visitors do not look inside array subscripts; the rewrite must still find the table.
        assertEquals("SELECT (ARRAY[1, 2])[(SELECT COUNT(*) FROM " + F_TICKET + " ticket)] FROM queue",
                rewrite("SELECT (ARRAY[1, 2])[(SELECT COUNT(*) FROM ticket)] FROM queue"));
    }

    @Test
    public void writesAreScopedToTheOrganisation() throws Exception {
        assertEquals("UPDATE ticket SET title = ? WHERE org_id = 1 AND (id = ? OR 1 = 1)",
                rewrite("UPDATE ticket SET title = ? WHERE id = ? OR 1 = 1"));
        assertEquals("UPDATE ticket SET title = 'x' WHERE org_id = 1", rewrite("UPDATE ticket SET title = 'x'"));
        assertEquals("UPDATE queue SET name = (SELECT MIN(title) FROM " + F_TICKET + " ticket) WHERE id = 1",
                rewrite("UPDATE queue SET name = (SELECT MIN(title) FROM ticket) WHERE id = 1"));
        assertEquals("DELETE FROM article WHERE org_id = 1 AND (id = 5 OR 1 = 1)",
                rewrite("DELETE FROM article WHERE id = 5 OR 1=1"));
        assertEquals("DELETE FROM article WHERE org_id = 1", rewrite("DELETE FROM article"));
        assertEquals("INSERT INTO ticket (id, title, org_id) VALUES (?, ?, 1)",
                rewrite("INSERT INTO ticket (id, title) VALUES (?, ?)"));
        assertEquals("INSERT INTO ticket (id, title, org_id) VALUES (1, 'a', 1), (2, 'b', 1)",
                rewrite("INSERT INTO ticket (id, title) VALUES (1, 'a'), (2, 'b')"));
        assertEquals("INSERT INTO ticket (id, org_id, title) VALUES (1, 1, 'a')",
                rewrite("INSERT INTO ticket (id, org_id, title) VALUES (1, 1, 'a')"));
        assertEquals("INSERT INTO queue (id, name) SELECT id, title FROM " + F_TICKET + " ticket",
                rewrite("INSERT INTO queue (id, name) SELECT id, title FROM ticket"));
    }

    @Test
    public void statementsWithoutOrgTablesComeBackUnchanged() throws Exception {
        String sql = "SELECT q.name /* why not */ FROM queue q WHERE q.id = ? -- trailing";
        assertSame(sql, rewrite(sql));
        String write = "UPDATE queue SET name = ? WHERE id IN (SELECT id FROM queue WHERE name = 'x')";
        assertSame(write, rewrite(write));
        // A column qualifier named like an org table is not a use of the table.
        String qualifier = "SELECT ticket.name FROM queue ticket";
        assertSame(qualifier, rewrite(qualifier));
    }

    @Test
    public void jdbcParametersKeepTheirOrder() throws Exception {
        String out = rewrite("SELECT id FROM ticket WHERE id = ? AND title = ? UNION SELECT ? FROM article "
                + "WHERE body LIKE ?");
        assertEquals(4, out.chars().filter(c -> c == '?').count());
        assertEquals("SELECT id FROM " + F_TICKET + " ticket WHERE id = ? AND title = ? UNION SELECT ? FROM "
                + F_ARTICLE + " article WHERE body LIKE ?", out);
    }

    @Test
    public void otherOrganisationIdsAreInlinedAsNumbers() throws Exception {
        assertEquals("SELECT * FROM (SELECT * FROM ticket WHERE org_id = 42) ticket",
                OrgScopedSql.rewrite("SELECT * FROM ticket", ORG_AWARE, 42));
        assertEquals("INSERT INTO ticket (id, org_id) VALUES (1, 0)",
                OrgScopedSql.rewrite("INSERT INTO ticket (id, org_id) VALUES (1, 0)", ORG_AWARE, 0));
        assertThrows(SqlSandbox.Refused.class,
                () -> OrgScopedSql.rewrite("INSERT INTO ticket (id, org_id) VALUES (1, 0)", ORG_AWARE, 42));
    }

    @Test
    public void postgresqlOnlyJoinsAreFilteredToo() throws Exception {
        assertEquals("SELECT t.*, a.body FROM " + F_TICKET + " t FULL JOIN " + F_ARTICLE + " a ON a.ticket_id = t.id",
                rewrite("SELECT t.*, a.body FROM ticket t FULL JOIN article a ON a.ticket_id = t.id"));
        assertEquals("SELECT q.name, x.title FROM queue q, LATERAL(SELECT title FROM " + F_TICKET
                + " t WHERE t.queue_id = q.id) x",
                rewrite("SELECT q.name, x.title FROM queue q, LATERAL (SELECT title FROM ticket t "
                        + "WHERE t.queue_id = q.id) x"));
    }

    @Test
    public void placesTheFilterCannotReachAreRefused() {
        for (String sql : List.of(
                "SELECT title FROM ticket FOR UPDATE OF ticket",
                "SELECT * FROM ONLY ticket",
                "SELECT * FROM ticket TABLESAMPLE SYSTEM (10)",
                "DELETE FROM ticket USING article a WHERE a.ticket_id = ticket.id",
                "DELETE FROM queue USING ticket t WHERE t.queue_id = queue.id",
                "UPDATE ticket SET title = a.body FROM article a WHERE a.ticket_id = ticket.id",
                "INSERT INTO ticket (id, title) (VALUES (1, 'a'))",
                "INSERT INTO ticket (id) VALUES ROW(1)",
                "INSERT INTO ticket (id, title) VALUES (1)",
                "SELECT * FROM public.queue")) {
            assertThrows(SqlSandbox.Refused.class, () -> rewrite(sql), sql);
        }
    }

    @Test
    public void ordinaryLiteralsAndCommentsPassTheLexicalCheck() throws Exception {
        for (String sql : List.of(
                "SELECT name FROM queue WHERE name = 'it''s' AND name <> '/* no comment */'",
                "SELECT name FROM queue -- it's a comment with a quote\nWHERE name LIKE '%--%'",
                "SELECT name /* a 'quoted' word, a -- and a * star */ FROM queue WHERE name = 'Größe'",
                "SELECT \"name\" FROM queue WHERE id = ?")) {
            assertSame(sql, rewrite(sql));
        }
    }

    @Test
    public void lexicalFormsTheDatabasesReadDifferentlyAreRefused() {
        for (String sql : List.of(
                "SELECT name FROM queue /* /* nested */ */",
                "SELECT name FROM queue /* unterminated",
                "SELECT name FROM queue WHERE name = 'unterminated",
                "SELECT name FROM queue WHERE name = E'x'",
                "SELECT name FROM queue WHERE name = N'x'",
                "SELECT name FROM queue WHERE name = U&'x'",
                "SELECT name FROM queue WHERE name = $$x$$",
                "SELECT name FROM queue WHERE name = $tag$x$tag$",
                "SELECT name FROM queue WHERE id = $1",
                "SELECT `name` FROM queue",
                "SELECT name FROM queue // comment",
                "SELECT name FROM queue WHERE name = 'C:\\temp'",
                "SELECT name FROM qu\u00e9ue")) {
            assertThrows(SqlSandbox.Refused.class, () -> rewrite(sql), sql);
        }
    }

    @Test
    public void keywordsUsedAsNamesMustBeQuoted() throws Exception {
        assertThrows(SqlSandbox.Refused.class, () -> rewrite("SELECT * FROM queue AS table"));
        assertThrows(SqlSandbox.Refused.class, () -> rewrite("SELECT * FROM (TABLE queue) ticket"));
        String quoted = "SELECT \"table\" FROM queue AS \"select\"";
        assertSame(quoted, rewrite(quoted));
    }

    @Test
    public void theTreeWalkFindsTablesJSqlParsersVisitorsSkip() throws Exception {
        net.sf.jsqlparser.statement.Statement statement = net.sf.jsqlparser.parser.CCJSqlParserUtil.parse(
                "SELECT (ARRAY[1, 2])[(SELECT COUNT(*) FROM ticket)] FROM queue");
        List<String> tables = OrgScopedSql.AstWalk.nodes(statement).stream()
                .filter(node -> node.value() instanceof net.sf.jsqlparser.schema.Table)
                .map(node -> ((net.sf.jsqlparser.schema.Table) node.value()).getName())
                .sorted().toList();
        assertEquals(List.of("queue", "ticket"), tables);
    }

    // --- hostile statements, run against H2 ---------------------------------------------------------------------

    /**
     * What must happen to a hostile statement: it runs and stays in org 1, or it is refused. NOT_ON_H2 marks
     * PostgreSQL syntax H2 lacks (FULL JOIN, LATERAL): it must be rewritten, and H2 must reject the original and the
     * rewritten statement alike; its shape is asserted in the shape tests.
     */
    enum Expect { RUNS, REFUSED, NOT_ON_H2 }

    static Stream<Arguments> hostile() {
        return Stream.of(
                // WHERE tricks
                runs("or 1=1", "SELECT id, title FROM ticket WHERE id = 101 OR 1=1"),
                runs("or org_id = 2", "SELECT title FROM ticket WHERE org_id = 1 OR org_id = 2"),
                runs("org_id <> 1 only", "SELECT title, org_id FROM ticket WHERE org_id <> 1"),
                runs("parameters", "SELECT title FROM ticket WHERE id = ? OR title LIKE ?", 201, "SECRET%"),
                // set operations
                runs("union",
                        "SELECT title FROM ticket WHERE org_id = 1 UNION SELECT title FROM ticket WHERE org_id = 2"),
                runs("union all with article", "SELECT title FROM ticket UNION ALL SELECT body FROM article"),
                runs("parenthesised union", "(SELECT title FROM ticket) UNION (SELECT body FROM article)"),
                runs("except", "SELECT id FROM ticket EXCEPT SELECT ticket_id FROM article"),
                runs("intersect", "SELECT ticket_id FROM article INTERSECT SELECT id FROM ticket"),
                // subqueries
                runs("select-list subquery", "SELECT q.name, (SELECT MAX(title) FROM ticket t WHERE t.queue_id = q.id) "
                        + "AS top FROM queue q"),
                runs("IN subquery",
                        "SELECT name FROM queue WHERE id IN (SELECT queue_id FROM ticket WHERE org_id = 2)"),
                runs("EXISTS subquery", "SELECT name FROM queue q WHERE EXISTS (SELECT 1 FROM ticket "
                        + "WHERE queue_id = q.id AND title LIKE 'SECRET%')"),
                runs("derived table", "SELECT x.title FROM (SELECT * FROM ticket WHERE org_id <> 1) x"),
                runs("count", "SELECT COUNT(*), MAX(id) FROM ticket"),
                runs("array subscript subquery", "SELECT (ARRAY[1, 2, 3, 4, 5, 6, 7])[(SELECT COUNT(*) FROM ticket)] "
                        + "FROM queue WHERE id = 10"),
                runs("subquery in ON", "SELECT q.name FROM queue q JOIN ticket t ON t.queue_id = q.id "
                        + "AND t.id NOT IN (SELECT id FROM ticket WHERE org_id = 2)"),
                // joins
                runs("self join", "SELECT a.title, b.title FROM ticket a JOIN ticket b ON a.queue_id = b.queue_id"),
                runs("left join", "SELECT t.title, a.body FROM ticket t LEFT JOIN article a ON a.ticket_id = t.id"),
                runs("right join", "SELECT t.title, a.body FROM ticket t RIGHT JOIN article a ON a.ticket_id = t.id"),
                notOnH2("full join", "SELECT t.title, a.body FROM ticket t FULL JOIN article a ON a.ticket_id = t.id"),
                runs("comma join", "SELECT * FROM ticket, article"),
                runs("cross join with queue", "SELECT q.name, t.title FROM queue q CROSS JOIN ticket t"),
                runs("natural join",
                        "SELECT t.title FROM ticket t NATURAL JOIN (SELECT DISTINCT org_id FROM article) a"),
                runs("using join", "SELECT ticket.title, article.body FROM ticket JOIN article USING (org_id)"),
                runs("parenthesised join",
                        "SELECT t.title, a.body FROM (ticket t JOIN article a ON a.ticket_id = t.id)"),
                notOnH2("lateral", "SELECT q.name, x.title FROM queue q, LATERAL (SELECT title FROM ticket t "
                        + "WHERE t.queue_id = q.id) x"),
                runs("alias named like the other table", "SELECT article.title FROM ticket article"),
                // CTEs
                runs("cte", "WITH x AS (SELECT * FROM ticket) SELECT title FROM x"),
                runs("recursive cte", "WITH RECURSIVE r(id, title) AS (SELECT id, title FROM ticket WHERE id = 101 "
                        + "UNION ALL SELECT t.id, t.title FROM ticket t JOIN r ON t.id = r.id + 100) "
                        + "SELECT id, title FROM r"),
                refused("cte named ticket", "WITH ticket AS (SELECT * FROM queue) SELECT * FROM ticket"),
                refused("quoted cte named TICKET", "WITH \"TICKET\" AS (SELECT 1 AS x) SELECT * FROM queue"),
                // comments and lexical tricks
                runs("line comment", "SELECT title FROM ticket -- WHERE org_id = 1\nWHERE 1 = 1"),
                runs("block comment", "SELECT title FROM /* org 2 */ ticket /* WHERE org_id = 1 */"),
                refused("nested comment", "SELECT 1 /* /* */ + 'x */ , (SELECT MAX(title) FROM ticket) AS b --'\n"
                        + "FROM queue"),
                refused("nested comment sharing the closing slash", "SELECT 1 /* a /*/ + ' */ */ , "
                        + "(SELECT MAX(title) FROM ticket) AS b --'\nFROM queue"),
                refused("escape string", "SELECT E'\\'' AS a, (SELECT MAX(title) FROM ticket) AS b --'\nFROM queue"),
                refused("dollar quote", "SELECT $$x$$, title FROM ticket"),
                refused("double-slash comment", "SELECT title FROM ticket // WHERE org_id = 1"),
                refused("backslash in a string", "SELECT 'a\\', (SELECT MAX(title) FROM ticket) AS b, '\\' FROM queue"),
                refused("unicode-escaped name", "SELECT * FROM U&\"\\0074icket\""),
                refused("JDBC escape", "SELECT {fn database()}, title FROM ticket"),
                // names
                runs("quoted upper-case name", "SELECT \"TITLE\" FROM \"TICKET\""),
                runs("upper-case name", "SELECT TITLE FROM TICKET T WHERE T.ORG_ID = 2 OR 1 = 1"),
                runs("mixed-case name", "select title from Ticket"),
                refused("schema-qualified", "SELECT title FROM PUBLIC.ticket"),
                refused("TABLE statement", "TABLE ticket"),
                refused("FOR UPDATE OF the table", "SELECT title FROM ticket FOR UPDATE OF ticket"),
                // JSqlParser reads these as a table named TABLE aliased ticket; the databases read all of ticket
                refused("TABLE subquery in FROM", "SELECT * FROM (TABLE ticket) t"),
                refused("TABLE subquery in a join", "SELECT q.name FROM queue q JOIN (TABLE ticket) t ON true"),
                refused("TABLE after a comma", "SELECT * FROM queue, TABLE ticket"),
                // ordering, grouping, paging
                runs("ORDER BY subquery", "SELECT name FROM queue ORDER BY (SELECT MAX(id) FROM ticket "
                        + "WHERE queue_id = queue.id), name"),
                runs("GROUP BY / HAVING subquery", "SELECT queue_id, COUNT(*) FROM ticket GROUP BY queue_id "
                        + "HAVING COUNT(*) > (SELECT COUNT(*) FROM article WHERE org_id = 2)"),
                runs("LIMIT / OFFSET", "SELECT title FROM ticket ORDER BY id DESC LIMIT 2 OFFSET 1"),
                runs("FETCH FIRST", "SELECT title FROM ticket ORDER BY id FETCH FIRST 10 ROWS ONLY"),
                // VALUES
                runs("VALUES IN", "SELECT v.x FROM (VALUES (201), (101)) v(x) WHERE v.x IN (SELECT id FROM ticket)"),
                runs("VALUES join", "SELECT t.title FROM (VALUES (201), (102)) v(x) JOIN ticket t ON t.id = v.x"),
                // functions that run SQL text
                refused("ts_stat", "SELECT * FROM ts_stat('SELECT to_tsvector(title) FROM ticket')"),
                refused("query_to_xml", "SELECT query_to_xml(?, true, false, '')", "SELECT * FROM ticket"),
                // unparseable and multiple statements
                refused("truncated", "SELECT title FROM ticket WHERE"),
                refused("two statements", "SELECT title FROM ticket; DELETE FROM ticket"),
                refused("not SQL", "show me the tickets of org 2"),
                refused("data change delta table", "SELECT * FROM FINAL TABLE (UPDATE ticket SET title = 'x')"),
                refused("data-modifying cte", "WITH d AS (DELETE FROM ticket RETURNING *) SELECT * FROM d"),
                // UPDATE
                runs("UPDATE ... OR 1=1", "UPDATE ticket SET title = 'hacked' WHERE id = 201 OR 1=1"),
                runs("UPDATE without WHERE", "UPDATE ticket SET title = 'all mine'"),
                runs("UPDATE with alias", "UPDATE ticket t SET title = 'x' WHERE t.id = 201 OR t.queue_id = 10"),
                runs("UPDATE with parameters", "UPDATE ticket SET title = ? WHERE id = ? OR ? = 1", "p", 201, 1),
                runs("UPDATE copying another org", "UPDATE ticket SET title = (SELECT MAX(title) FROM ticket t2 "
                        + "WHERE t2.org_id = 2) WHERE id = 101"),
                runs("UPDATE by other org's articles", "UPDATE ticket SET title = 'x' WHERE id IN "
                        + "(SELECT ticket_id FROM article WHERE org_id = 2)"),
                runs("UPDATE non-org table from ticket", "UPDATE queue SET name = (SELECT MIN(title) FROM ticket) "
                        + "WHERE id = 30"),
                refused("UPDATE SET org_id", "UPDATE ticket SET org_id = 2 WHERE id = 101"),
                refused("UPDATE SET quoted ORG_ID", "UPDATE ticket SET title = 'x', \"ORG_ID\" = 2"),
                refused("UPDATE ... FROM",
                        "UPDATE ticket SET title = a.body FROM article a WHERE a.ticket_id = ticket.id"),
                // DELETE
                runs("DELETE ... OR 1=1", "DELETE FROM ticket WHERE id = 5 OR 1=1"),
                runs("DELETE without WHERE", "DELETE FROM article"),
                runs("DELETE hiding in comments", "DELETE FROM ticket WHERE id = 201 /* OR 1=1 */ -- AND org_id = 2"),
                runs("DELETE by EXISTS", "DELETE FROM article WHERE EXISTS (SELECT 1 FROM ticket t "
                        + "WHERE t.id = article.ticket_id)"),
                // INSERT
                runs("INSERT without org_id", "INSERT INTO ticket (id, title, queue_id) VALUES (301, 'new', 10), "
                        + "(302, 'newer', 20)"),
                runs("INSERT with org_id = 1", "INSERT INTO ticket (id, org_id, title) VALUES (301, 1, 'ok')"),
                runs("INSERT copying another org", "INSERT INTO ticket (id, title, queue_id) VALUES (3001, "
                        + "(SELECT MAX(title) FROM ticket WHERE org_id = 2), 10)"),
                // rows hanging off another org's ticket: plugins neither add them nor move them there
                refused("INSERT article into another org's ticket",
                        "INSERT INTO article (id, ticket_id, body) VALUES (3001, 201, 'phish')"),
                refused("UPDATE article onto another org's ticket",
                        "UPDATE article SET ticket_id = 201 WHERE id = 1001"),
                runs("INSERT quoted upper-case", "INSERT INTO \"TICKET\" (\"ID\", \"TITLE\") VALUES (301, 'q')"),
                runs("INSERT into queue SELECT from ticket",
                        "INSERT INTO queue (id, name) SELECT id, title FROM ticket"),
                refused("INSERT org_id = 2",
                        "INSERT INTO ticket (id, org_id, title, queue_id) VALUES (301, 2, 'x', 10)"),
                refused("INSERT one row in org 2", "INSERT INTO ticket (id, org_id, title) VALUES (301, 1, 'a'), "
                        + "(302, 2, 'b')"),
                refused("INSERT org_id as parameter", "INSERT INTO ticket (id, org_id, title) VALUES (301, ?, 'a')", 2),
                refused("INSERT org_id as expression",
                        "INSERT INTO ticket (id, org_id, title) VALUES (301, 1 + 1, 'a')"),
                refused("INSERT without column list", "INSERT INTO ticket VALUES (301, 2, 'x', 10)"),
                refused("INSERT ... SELECT from ticket", "INSERT INTO ticket (id, title) SELECT id + 1000, title "
                        + "FROM ticket"),
                refused("INSERT DEFAULT VALUES", "INSERT INTO ticket DEFAULT VALUES"),
                refused("INSERT ON CONFLICT", "INSERT INTO ticket (id, title) VALUES (201, 'x') "
                        + "ON CONFLICT (id) DO UPDATE SET title = 'pwned'"),
                refused("INSERT ON DUPLICATE KEY", "INSERT INTO ticket (id, title) VALUES (201, 'x') "
                        + "ON DUPLICATE KEY UPDATE title = 'pwned'"),
                refused("MERGE", "MERGE INTO ticket KEY (id) VALUES (201, 1, 'x', 10)"));
    }

    private static Arguments runs(String name, String sql, Object... params) {
        return Arguments.of(name, Expect.RUNS, sql, Arrays.asList(params));
    }

    private static Arguments refused(String name, String sql, Object... params) {
        return Arguments.of(name, Expect.REFUSED, sql, Arrays.asList(params));
    }

    private static Arguments notOnH2(String name, String sql) {
        return Arguments.of(name, Expect.NOT_ON_H2, sql, List.of());
    }

    /**
     * Runs the rewritten statement as org 1 on a database holding orgs 0, 1 and 2, and the original statement on a
     * database holding only org 1 (where org 1 is also the column default). Isolation means both give the same
     * answer and leave org 1 in the same state, and nothing outside org 1 is read or changed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    public void hostileStatementsStayInsideTheOrganisation(String name, Expect expect, String sql, List<Object> params)
            throws Exception {
        if (expect == Expect.REFUSED) {
            assertThrows(SqlSandbox.Refused.class, () -> rewrite(sql), sql);
            return;
        }
        String scoped = rewrite(sql);
        try (Connection all = database(false); Connection onlyOrg1 = database(true)) {
            if (expect == Expect.NOT_ON_H2) {
                assertThrows(SQLException.class, () -> run(onlyOrg1, sql, params), sql);
                assertThrows(SQLException.class, () -> run(all, scoped, params), scoped);
                return;
            }
            List<String> othersBefore = rowsOutsideOrg1(all);
            Outcome actual = run(all, scoped, params);
            Outcome expected = run(onlyOrg1, sql, params);
            assertEquals(expected.result(), actual.result(), scoped);
            for (String value : actual.values()) {
                assertFalse(value.contains("SECRET") || FOREIGN_IDS.contains(value),
                        "a value of another organisation came back: " + value + " from " + scoped);
            }
            assertEquals(othersBefore, rowsOutsideOrg1(all), "rows of other organisations changed: " + scoped);
            assertEquals(org1State(onlyOrg1, "1 = 1"), org1State(all, "org_id = 1"), scoped);
            for (String value : org1State(all, "org_id = 1")) {
                assertFalse(value.contains("SECRET"), "org 1 now holds data of another organisation: " + value);
            }
        }
    }

    /** The result of one statement: rows (sorted unless the statement orders them) or an update count. */
    private record Outcome(List<String> result, List<String> values) {
    }

    private static Outcome run(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            if (!s.execute()) {
                return new Outcome(List.of("updated " + s.getUpdateCount()), List.of());
            }
            List<String> rows = new ArrayList<>();
            List<String> values = new ArrayList<>();
            try (ResultSet rs = s.getResultSet()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        String value = String.valueOf(rs.getObject(i));
                        values.add(value);
                        row.append(value).append('|');
                    }
                    rows.add(row.toString());
                }
            }
            if (!sql.toUpperCase(Locale.ROOT).contains("ORDER BY")) {
                rows.sort(null);
            }
            return new Outcome(rows, values);
        }
    }

    private static List<String> rowsOutsideOrg1(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>(dump(c, "SELECT * FROM ticket WHERE org_id <> 1 ORDER BY id"));
        rows.addAll(dump(c, "SELECT * FROM article WHERE org_id <> 1 ORDER BY id"));
        return rows;
    }

    private static List<String> org1State(Connection c, String condition) throws SQLException {
        List<String> rows = new ArrayList<>(dump(c, "SELECT * FROM ticket WHERE " + condition + " ORDER BY id"));
        rows.addAll(dump(c, "SELECT * FROM article WHERE " + condition + " ORDER BY id"));
        rows.addAll(dump(c, "SELECT * FROM queue ORDER BY id"));
        return rows;
    }

    private static List<String> dump(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getObject(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** A private in-memory H2 database; {@code onlyOrg1} keeps org 1's rows and makes 1 the org default. */
    private static Connection database(boolean onlyOrg1) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:");
        int orgDefault = onlyOrg1 ? 1 : 0;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE queue (id BIGINT PRIMARY KEY, name VARCHAR(200))");
            s.execute("CREATE TABLE ticket (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL DEFAULT " + orgDefault
                    + ", title VARCHAR(200), queue_id BIGINT)");
            s.execute("CREATE TABLE article (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL DEFAULT " + orgDefault
                    + ", ticket_id BIGINT, body VARCHAR(200))");
            s.execute("INSERT INTO queue VALUES (10, 'Raw'), (20, 'Junk'), (30, 'Empty')");
            s.execute("INSERT INTO ticket VALUES (101, 1, 'T1-alpha', 10), (102, 1, 'T1-beta', 20), "
                    + "(103, 1, 'T1-gamma', 10), (201, 2, 'SECRET2-alpha', 10), (202, 2, 'SECRET2-beta', 20), "
                    + "(901, 0, 'SECRET0-alpha', 30)");
            // 2002 is an org-2 article pointing at an org-1 ticket, so joins from org 1's side could reach it.
            s.execute("INSERT INTO article VALUES (1001, 1, 101, 'A1-one'), (1002, 1, 102, 'A1-two'), "
                    + "(2001, 2, 201, 'SECRET2-body'), (2002, 2, 101, 'SECRET2-crossref'), "
                    + "(9001, 0, 901, 'SECRET0-body')");
            if (onlyOrg1) {
                s.execute("DELETE FROM ticket WHERE org_id <> 1");
                s.execute("DELETE FROM article WHERE org_id <> 1");
            }
        }
        return c;
    }

    @Test
    public void theHostileListIsLargeAndNamedUniquely() {
        List<String> names = hostile().map(a -> (String) a.get()[0]).toList();
        assertEquals(names.size(), Set.copyOf(names).size(), "duplicate case names");
        if (names.size() < 30) {
            fail("expected at least 30 hostile cases, got " + names.size());
        }
    }
}
