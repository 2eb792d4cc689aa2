package io.goatflow.pluginhost.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Decides whether a plugin's SQL may run, from the parsed statement (JSqlParser), never from patterns over the
 * text: exactly one statement; SELECT for {@code db_query}; INSERT, UPDATE or DELETE for {@code db_exec}; every
 * table it names (joins, subqueries, CTE bodies) on the plugin's allow-list and none of the platform's own tables;
 * no schema-qualified names (catalogues) and no functions that reach files, other databases or the server.
 * Anything the parser does not understand is refused.
 */
final class SqlSandbox {
    /** Kinds of statement a plugin may run. */
    enum Kind { READ, WRITE }

    /** Tables no plugin may touch whatever it asks for: credentials, sessions, settings, platform state. */
    private static final Pattern PROTECTED = Pattern.compile(
            "users|customer_user|gk_.*|sysconfig_.*|pg_.*|information_schema.*|sqlite_.*");
    /** Functions that read files, call out, sleep or change server state (H2 and PostgreSQL). */
    private static final Pattern FORBIDDEN_FUNCTIONS = Pattern.compile(
            "(?i)(file_read|file_write|csvread|csvwrite|link_schema|memory_.*|cancel_session|abort_session|"
                    + "disk_space_used|sleep|pg_.*|lo_.*|dblink.*|current_setting|set_config|query_to_xml.*|"
                    + "table_to_xml.*|database_to_xml.*|txid_.*|version|user|current_user|session_user)");
    private static final int MAX_LENGTH = 20_000;

    /** A refused statement; the message says why, for the plugin and its log. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private SqlSandbox() {
    }

    /**
     * Checks one statement.
     *
     * @param readable whether the plugin may read a table (lower-case, unqualified)
     * @param writable whether the plugin may change a table
     * @param foreign whether a table belongs to another plugin
     * @return the tables the statement uses
     */
    static Set<String> check(String sql, Kind kind, Predicate<String> readable, Predicate<String> writable,
            Predicate<String> foreign) throws Refused {
        if (sql == null || sql.isBlank()) {
            throw new Refused("the query is empty");
        }
        if (sql.length() > MAX_LENGTH) {
            throw new Refused("the query is longer than " + MAX_LENGTH + " characters");
        }
        Statement statement;
        try {
            Statements statements = CCJSqlParserUtil.parseStatements(sql, p -> p.withTimeOut(2000));
            if (statements == null || statements.size() != 1) {
                throw new Refused("exactly one statement is allowed");
            }
            statement = statements.get(0);
        } catch (JSQLParserException e) {
            throw new Refused("the query could not be parsed, so it is not allowed");
        }
        boolean read = statement instanceof Select;
        boolean write = statement instanceof Insert || statement instanceof Update || statement instanceof Delete;
        if (!read && !write) {
            throw new Refused(statement.getClass().getSimpleName().toUpperCase(Locale.ROOT)
                    + " statements are not allowed (only SELECT, INSERT, UPDATE and DELETE)");
        }
        if (kind == Kind.READ && !read) {
            throw new Refused("db_query runs SELECT statements only; use db_exec to change data");
        }
        if (kind == Kind.WRITE && !write) {
            throw new Refused("db_exec runs INSERT, UPDATE and DELETE only; use db_query to read");
        }
        if (statement instanceof PlainSelect plain && plain.getIntoTables() != null) {
            throw new Refused("SELECT INTO is not allowed");
        }
        String target = null;
        if (statement instanceof Insert insert) {
            target = insert.getTable().getName();
        } else if (statement instanceof Update update) {
            if (update.getJoins() != null && !update.getJoins().isEmpty() || update.getFromItem() != null) {
                throw new Refused("UPDATE with FROM or JOIN is not allowed; use a subquery");
            }
            target = update.getTable().getName();
        } else if (statement instanceof Delete delete) {
            if (delete.getTables() != null && !delete.getTables().isEmpty()
                    || delete.getJoins() != null && !delete.getJoins().isEmpty()) {
                throw new Refused("DELETE of several tables is not allowed");
            }
            target = delete.getTable().getName();
        }
        Set<String> functions = new LinkedHashSet<>();
        Set<String> qualified = new LinkedHashSet<>();
        Set<String> tables = new LinkedHashSet<>();
        TablesNamesFinder<Void> finder = new TablesNamesFinder<>() {
            @Override
            public <S> Void visit(Function function, S context) {
                functions.add(function.getName() == null ? "" : function.getName());
                return super.visit(function, context);
            }

            @Override
            public <S> Void visit(Table table, S context) {
                if (table.getSchemaName() != null || table.getDatabase() != null
                        && table.getDatabase().getDatabaseName() != null) {
                    qualified.add(table.getFullyQualifiedName());
                }
                return super.visit(table, context);
            }
        };
        Set<String> found;
        try {
            found = new LinkedHashSet<>(finder.getTables(statement));
            // JSqlParser's visitors skip some places (a subquery in an array subscript, for one): every field of the
            // tree is walked as well, so a table or function anywhere is seen. Names of the statement's own CTEs are
            // not tables; a CTE may therefore not take the name of a table, or it could hide one.
            List<OrgScopedSql.AstWalk.Node> nodes = OrgScopedSql.AstWalk.nodes(statement);
            Set<String> ctes = new LinkedHashSet<>();
            for (OrgScopedSql.AstWalk.Node node : nodes) {
                if (node.value() instanceof WithItem<?> with && with.getAlias() != null) {
                    String name = unquote(with.getAlias().getName());
                    if (PROTECTED.matcher(name).matches() || readable.test(name) || writable.test(name)
                            || foreign.test(name)) {
                        throw new Refused("a CTE may not be named like the table " + name);
                    }
                    ctes.add(name);
                }
            }
            for (OrgScopedSql.AstWalk.Node node : nodes) {
                if (node.value() instanceof Table table && table.getName() != null
                        && !OrgScopedSql.isQualifier(node.owner(), table) && !ctes.contains(unquote(table.getName()))) {
                    finder.visit(table, null);
                    found.add(table.getName());
                } else if (node.value() instanceof Function function) {
                    functions.add(function.getName() == null ? "" : function.getName());
                }
            }
        } catch (RuntimeException e) {
            throw new Refused("the query uses a construct the sandbox does not support");
        }
        if (!qualified.isEmpty()) {
            throw new Refused("schema-qualified tables are not allowed: " + qualified);
        }
        for (String f : functions) {
            if (FORBIDDEN_FUNCTIONS.matcher(f).matches()) {
                throw new Refused("the function " + f + " is not allowed");
            }
        }
        for (String name : found) {
            tables.add(unquote(name));
        }
        for (String table : tables) {
            if (PROTECTED.matcher(table).matches()) {
                throw new Refused("the table " + table + " belongs to the platform and is not open to plugins");
            }
            if (foreign.test(table)) {
                throw new Refused("the table " + table + " belongs to another plugin");
            }
            if (!readable.test(table) && !writable.test(table)) {
                throw new Refused("the table " + table + " is not in this plugin's db permissions");
            }
        }
        if (target != null) {
            String table = unquote(target);
            if (!writable.test(table)) {
                throw new Refused("the table " + table + " is not in this plugin's write permissions");
            }
        }
        return tables;
    }

    private static String unquote(String name) {
        String n = name.trim();
        int dot = n.lastIndexOf('.');
        if (dot >= 0) {
            n = n.substring(dot + 1);
        }
        if (n.length() >= 2 && (n.startsWith("\"") && n.endsWith("\"") || n.startsWith("`") && n.endsWith("`"))) {
            n = n.substring(1, n.length() - 1);
        }
        return n.toLowerCase(Locale.ROOT);
    }
}
