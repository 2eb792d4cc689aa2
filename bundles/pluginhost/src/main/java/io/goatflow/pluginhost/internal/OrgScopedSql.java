package io.goatflow.pluginhost.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Confines a plugin statement that {@link SqlSandbox#check} accepted to the rows of one organisation.
 *
 * <p>Reads: every use of an org-aware table as a row source becomes {@code (SELECT * FROM t WHERE org_id = N) alias},
 * wherever it sits (set operations, CTEs, joins, subqueries in any clause). Writes: the UPDATE or DELETE target gets
 * {@code org_id = N AND (original condition)}, an INSERT gets {@code org_id = N} on every row, and the org column can
 * never be set to anything else. Statements that touch no org-aware table come back as they were.
 *
 * <p>The rule is "refuse what is not understood", so the class does not trust any single view of the statement:
 * <ul>
 * <li>the text is first checked for lexical forms on which JSqlParser, H2 and PostgreSQL disagree (nested comments,
 * {@code E'...'} strings, dollar quotes, {@code //} comments, backslashes in strings), because otherwise the
 * database could run a table reference the parser took for a string or a comment;</li>
 * <li>tables are found by walking every field of the syntax tree ({@link AstWalk}), not through JSqlParser's
 * visitors, which skip some places (array subscripts, for one) where a subquery can hide;</li>
 * <li>after rewriting, JSqlParser's own traversal must find no org-aware table outside a filter, and the final text is
 * parsed again and every org-aware table in it must sit in exactly the filter shape this class writes.</li>
 * </ul>
 */
final class OrgScopedSql {
    static final String ORG_COLUMN = "org_id";
    /**
     * Org-aware tables whose rows hang off a row of another org-aware table. Core reads them by that parent id, so a
     * plugin that could write the link could attach a row to another organisation's ticket: plugins neither insert
     * such rows nor change their link (they use the API, which checks the ticket).
     */
    static final Map<String, String> PARENT_LINKS = Map.of("article", "ticket_id", "article_data_mime", "article_id",
            "article_data_mime_attachment", "article_id", "ticket_history", "ticket_id");

    /**
     * Functions that run SQL given as text or read a table named by an argument (PostgreSQL core and common contrib,
     * H2): the org filter cannot reach inside them, and a parameter can carry the text, so they are refused outright.
     */
    private static final Pattern SQL_RUNNING_FUNCTIONS = Pattern.compile(
            "(query|table|schema|database|cursor)_to_xml.*|ts_stat|ts_rewrite|crosstab\\d*|connectby|xpath_table|"
                    + "dblink.*|csvwrite|csvread|estimated_envelope|link_schema");
    /**
     * Keywords that start or shape a query in PostgreSQL or H2. JSqlParser accepts some of them as plain names, so
     * {@code (TABLE ticket)} reaches it as a table called TABLE with the alias ticket while both databases read the
     * whole ticket table; such names are refused unless quoted.
     */
    private static final Set<String> STRUCTURAL_KEYWORDS = Set.of(
            "all", "and", "any", "array", "as", "between", "case", "cast", "collate", "cross", "distinct", "do",
            "else", "end", "except", "exists", "fetch", "for", "from", "full", "group", "having", "ilike", "in",
            "inner", "intersect", "into", "is", "join", "lateral", "left", "like", "limit", "minus", "natural", "not",
            "offset", "on", "only", "or", "order", "outer", "qualify", "returning", "right", "select", "similar",
            "some", "table", "tablesample", "then", "union", "using", "values", "when", "where", "window",
            "with");
    private static final String UNSUPPORTED = "the query uses a construct the organisation filter does not support";

    private final Predicate<String> orgAware;
    private final long orgId;
    /** Table nodes this class placed inside a filtered derived table; identity, because equal names are not enough. */
    private final Set<Table> filtered = identitySet();
    /** The INSERT, UPDATE or DELETE target once it carries the org condition or value. */
    private final Set<Table> targets = identitySet();

    private OrgScopedSql(Predicate<String> orgAware, long orgId) {
        this.orgAware = orgAware;
        this.orgId = orgId;
    }

    /**
     * Rewrites a statement that SqlSandbox.check accepted so it can only see and change rows of one organisation.
     *
     * @param orgAware whether a table (lower-case, unqualified, unquoted) carries {@code org_id}
     * @return SQL for H2 and PostgreSQL with the same JDBC parameters; {@code sql} itself when it uses no org-aware
     *         table
     */
    static String rewrite(String sql, Predicate<String> orgAware, long orgId) throws SqlSandbox.Refused {
        try {
            return new OrgScopedSql(orgAware, orgId).scope(sql);
        } catch (RuntimeException e) {
            // JSqlParser reports shapes it cannot handle (and some it cannot even parse) as runtime exceptions.
            throw new SqlSandbox.Refused(UNSUPPORTED);
        }
    }

    private String scope(String sql) throws SqlSandbox.Refused {
        if (sql == null || sql.isBlank()) {
            throw new SqlSandbox.Refused("the query is empty");
        }
        LexicalGuard.check(sql);
        Statement statement = parse(sql);
        List<Use> uses = inspect(statement);
        if (uses.isEmpty()) {
            return sql;
        }
        Table target = target(statement);
        for (Use use : uses) {
            if (use.table() == target) {
                scopeTarget(statement);
            } else {
                replaceSource(use);
            }
        }
        String result = statement.toString();
        verifyWithFinder(statement);
        LexicalGuard.check(result);
        verifyText(result);
        return result;
    }

    // --- inspection ---------------------------------------------------------------------------------------------

    /** An org-aware table used as a row source or as the statement's target, and the tree node holding it. */
    private record Use(Object owner, Table table) {
    }

    /**
     * Refuses what the filter cannot make safe anywhere in the tree and returns the org-aware tables to scope. Column
     * qualifiers ({@code ticket.id}, {@code ticket.*}) only name a row source that is filtered itself, so they are
     * skipped.
     */
    private List<Use> inspect(Statement root) throws SqlSandbox.Refused {
        if (!(root instanceof Select || root instanceof Insert || root instanceof Update || root instanceof Delete)) {
            throw new SqlSandbox.Refused("only SELECT, INSERT, UPDATE and DELETE can be scoped to an organisation");
        }
        List<Use> uses = new ArrayList<>();
        for (AstWalk.Node node : AstWalk.nodes(root)) {
            Object value = node.value();
            if (value instanceof Statement && !(value instanceof Select) && value != root) {
                throw new SqlSandbox.Refused("statements inside other statements are not allowed");
            }
            refuseUnscopable(value);
            if (value instanceof Table table && !isQualifier(node.owner(), table)) {
                if (table.getNameParts().size() != 1) {
                    throw new SqlSandbox.Refused("schema-qualified tables are not allowed: "
                            + table.getFullyQualifiedName());
                }
                if (isOrgAware(table)) {
                    uses.add(new Use(node.owner(), table));
                }
            }
        }
        return uses;
    }

    /** Names and functions that would let a statement read rows the filter never sees, wherever they appear. */
    private void refuseUnscopable(Object node) throws SqlSandbox.Refused {
        String name = node instanceof Table table ? table.getName()
                : node instanceof Alias alias ? alias.getName()
                : node instanceof Column column ? column.getColumnName() : null;
        if (name != null && STRUCTURAL_KEYWORDS.contains(name.trim().toLowerCase(Locale.ROOT))) {
            throw new SqlSandbox.Refused("the keyword " + name + " cannot be used as a name; quote it");
        }
        if (node instanceof WithItem<?> with && with.getAlias() != null
                && orgAware.test(plainName(with.getAlias().getName()))) {
            // Inside its scope the CTE would shadow the table, also in the filter this class writes.
            throw new SqlSandbox.Refused("the WITH query " + with.getAlias().getName()
                    + " has the name of an organisation table; rename it");
        }
        String function = node instanceof Function call ? call.getName()
                : node instanceof AnalyticExpression call ? call.getName() : null;
        if (function != null && SQL_RUNNING_FUNCTIONS.matcher(plainName(function)).matches()) {
            throw new SqlSandbox.Refused("the function " + function + " is not allowed");
        }
    }

    static boolean isQualifier(Object owner, Table table) {
        return owner instanceof Column c && c.getTable() == table
                || owner instanceof AllTableColumns a && a.getTable() == table;
    }

    private boolean isOrgAware(Table table) {
        return orgAware.test(plainName(table.getName()));
    }

    /** Lower-case, unquoted last part of a possibly qualified name, the form the org-aware predicate expects. */
    static String plainName(String name) {
        String n = name == null ? "" : name.trim();
        int lastDot = -1;
        char closing = 0;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (closing != 0) {
                closing = c == closing ? 0 : closing;
            } else if (c == '"' || c == '`') {
                closing = c;
            } else if (c == '[') {
                closing = ']';
            } else if (c == '.') {
                lastDot = i;
            }
        }
        n = n.substring(lastDot + 1);
        if (n.length() >= 2 && (n.startsWith("\"") && n.endsWith("\"") || n.startsWith("`") && n.endsWith("`")
                || n.startsWith("[") && n.endsWith("]"))) {
            n = n.substring(1, n.length() - 1);
        }
        return n.toLowerCase(Locale.ROOT);
    }

    private static Table target(Statement statement) {
        if (statement instanceof Insert insert) {
            return insert.getTable();
        }
        if (statement instanceof Update update) {
            return update.getTable();
        }
        return statement instanceof Delete delete ? delete.getTable() : null;
    }

    // --- rewriting ----------------------------------------------------------------------------------------------

    /** Puts the filter in place of a table used as a row source; any other position is refused. */
    private void replaceSource(Use use) throws SqlSandbox.Refused {
        Table table = use.table();
        if (use.owner() instanceof PlainSelect select && select.getFromItem() == table) {
            if (select.isUsingOnly() || select.isUsingFinal()) {
                throw new SqlSandbox.Refused("FROM ONLY is not supported on organisation tables");
            }
            select.setFromItem(filter(table));
        } else if (use.owner() instanceof Join join && join.getFromItem() == table) {
            join.setFromItem(filter(table));
        } else if (use.owner() instanceof ParenthesedFromItem group && group.getFromItem() == table) {
            group.setFromItem(filter(table));
        } else {
            throw new SqlSandbox.Refused("the table " + table.getName()
                    + " is used in a way the organisation filter does not support");
        }
    }

    /** {@code (SELECT * FROM t WHERE org_id = N) alias}, named like the table so qualified columns still resolve. */
    private ParenthesedSelect filter(Table table) throws SqlSandbox.Refused {
        if (table.getPivot() != null || table.getUnPivot() != null || table.getSampleClause() != null
                || table.getIndexHint() != null || table.getSqlServerHints() != null) {
            throw new SqlSandbox.Refused("table hints, samples and pivots are not supported on organisation tables");
        }
        Table source = new Table(table.getName());
        filtered.add(source);
        PlainSelect select = new PlainSelect();
        select.addSelectItems(new AllColumns());
        select.setFromItem(source);
        select.setWhere(orgCondition());
        Alias alias = table.getAlias() != null ? table.getAlias() : new Alias(table.getName(), false);
        return new ParenthesedSelect().withSelect(select).withAlias(alias);
    }

    private Expression orgCondition() {
        return new EqualsTo(new Column(ORG_COLUMN), new LongValue(orgId));
    }

    private String filterText(Table table) {
        return "SELECT * FROM " + table.getName() + " WHERE " + orgCondition();
    }

    private void scopeTarget(Statement statement) throws SqlSandbox.Refused {
        String link = PARENT_LINKS.get(plainName(target(statement).getName()));
        if (link != null && statement instanceof Insert) {
            throw new SqlSandbox.Refused("rows of " + plainName(target(statement).getName()) + " are added through"
                    + " GoatFlow's API, not by SQL");
        }
        if (link != null && statement instanceof Update linked) {
            for (UpdateSet set : linked.getUpdateSets()) {
                for (Column column : set.getColumns()) {
                    if (link.equals(plainName(column.getColumnName()))) {
                        throw new SqlSandbox.Refused("the column " + link + " cannot be changed");
                    }
                }
            }
        }
        if (statement instanceof Update update) {
            scopeUpdate(update);
        } else if (statement instanceof Delete delete) {
            scopeDelete(delete);
        } else {
            scopeInsert((Insert) statement, false);
        }
        targets.add(target(statement));
    }

    private void scopeUpdate(Update update) throws SqlSandbox.Refused {
        if (update.getFromItem() != null || notEmpty(update.getJoins()) || notEmpty(update.getStartJoins())
                || update.getOutputClause() != null) {
            throw new SqlSandbox.Refused("UPDATE with FROM, JOIN or OUTPUT is not supported on organisation tables");
        }
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column column : set.getColumns()) {
                if (ORG_COLUMN.equals(plainName(column.getColumnName()))) {
                    throw new SqlSandbox.Refused("the column org_id cannot be changed");
                }
            }
        }
        update.setWhere(scopedWhere(update.getWhere()));
    }

    private void scopeDelete(Delete delete) throws SqlSandbox.Refused {
        if (notEmpty(delete.getTables()) || notEmpty(delete.getJoins()) || notEmpty(delete.getUsingList())
                || delete.getOutputClause() != null) {
            throw new SqlSandbox.Refused("DELETE with USING, JOIN or OUTPUT is not supported on organisation tables");
        }
        delete.setWhere(scopedWhere(delete.getWhere()));
    }

    /** The parentheses keep an {@code OR} in the original condition from escaping the org condition. */
    private Expression scopedWhere(Expression where) {
        return where == null ? orgCondition()
                : new AndExpression(orgCondition(), new ParenthesedExpressionList<>(where));
    }

    /**
     * Gives every VALUES row {@code org_id = N}. Only a column list with plain VALUES rows is accepted: without a
     * column list the org column's position is unknown, a SELECT could produce any org id, and upsert clauses
     * would update rows of other organisations. With {@code verify} the org column must already be there.
     */
    private void scopeInsert(Insert insert, boolean verify) throws SqlSandbox.Refused {
        if (insert.getColumns() == null || insert.getColumns().isEmpty()) {
            throw new SqlSandbox.Refused("INSERT into an organisation table needs a column list");
        }
        if (!(insert.getSelect() instanceof Values values) || values.getWithItemsList() != null
                || insert.isOnlyDefaultValues()) {
            throw new SqlSandbox.Refused("INSERT into an organisation table takes VALUES only, not a query");
        }
        if (insert.getDuplicateUpdateSets() != null || insert.getConflictAction() != null
                || insert.getConflictTarget() != null || insert.getSetUpdateSets() != null
                || insert.getOutputClause() != null || insert.isOverwrite()) {
            throw new SqlSandbox.Refused("ON CONFLICT, ON DUPLICATE KEY and similar clauses are not supported on "
                    + "organisation tables");
        }
        List<ExpressionList<Expression>> rows = rows(values.getExpressions(), insert.getColumns().size());
        List<Integer> orgPositions = new ArrayList<>();
        for (int i = 0; i < insert.getColumns().size(); i++) {
            if (ORG_COLUMN.equals(plainName(insert.getColumns().get(i).getColumnName()))) {
                orgPositions.add(i);
            }
        }
        if (orgPositions.isEmpty()) {
            if (verify) {
                throw new SqlSandbox.Refused(UNSUPPORTED);
            }
            insert.getColumns().add(new Column(ORG_COLUMN));
            for (ExpressionList<Expression> row : rows) {
                row.add(new LongValue(orgId));
            }
            return;
        }
        for (ExpressionList<Expression> row : rows) {
            for (int position : orgPositions) {
                if (!(row.get(position) instanceof LongValue value) || value.getValue() != orgId) {
                    throw new SqlSandbox.Refused("org_id must be " + orgId + " in every inserted row");
                }
            }
        }
    }

    /**
     * The rows of a VALUES clause. JSqlParser gives one row as a parenthesised list and several rows as a plain list
     * of parenthesised lists; anything else (bare values, ROW(...)) is refused rather than guessed.
     */
    @SuppressWarnings("unchecked")
    private static List<ExpressionList<Expression>> rows(ExpressionList<?> values, int width)
            throws SqlSandbox.Refused {
        List<ExpressionList<Expression>> rows = new ArrayList<>();
        if (values instanceof ParenthesedExpressionList<?> single) {
            rows.add((ExpressionList<Expression>) single);
        } else if (values != null) {
            for (Expression row : values) {
                if (!(row instanceof ParenthesedExpressionList<?> list)) {
                    throw new SqlSandbox.Refused("INSERT into an organisation table needs VALUES (...) rows");
                }
                rows.add((ExpressionList<Expression>) list);
            }
        }
        if (rows.isEmpty()) {
            throw new SqlSandbox.Refused("INSERT into an organisation table needs VALUES (...) rows");
        }
        for (ExpressionList<Expression> row : rows) {
            if (row.size() != width) {
                throw new SqlSandbox.Refused("every VALUES row needs one value per column");
            }
        }
        return rows;
    }

    // --- verification -------------------------------------------------------------------------------------------

    /** JSqlParser's own traversal must not reach an org-aware table that this class did not scope. */
    private void verifyWithFinder(Statement statement) throws SqlSandbox.Refused {
        Set<String> unscoped = new LinkedHashSet<>();
        TablesNamesFinder<Void> finder = new TablesNamesFinder<>() {
            @Override
            public <S> Void visit(Table table, S context) {
                if (isOrgAware(table) && !filtered.contains(table) && !targets.contains(table)) {
                    unscoped.add(table.getName());
                }
                return super.visit(table, context);
            }
        };
        finder.getTables(statement);
        if (!unscoped.isEmpty()) {
            throw new SqlSandbox.Refused(UNSUPPORTED + ": " + unscoped);
        }
    }

    /**
     * Parses the text that will actually run and checks it on its own terms: every org-aware table in it is either
     * the scoped target or the sole source of exactly {@code SELECT * FROM t WHERE org_id = N}.
     */
    private void verifyText(String sql) throws SqlSandbox.Refused {
        Statement statement = parse(sql);
        Table target = target(statement);
        for (Use use : inspect(statement)) {
            Table table = use.table();
            if (table == target) {
                verifyTarget(statement);
            } else if (!(use.owner() instanceof PlainSelect select && select.getFromItem() == table
                    && table.getAlias() == null && filterText(table).equals(select.toString()))) {
                throw new SqlSandbox.Refused(UNSUPPORTED);
            }
        }
    }

    private void verifyTarget(Statement statement) throws SqlSandbox.Refused {
        if (statement instanceof Insert insert) {
            scopeInsert(insert, true);
            return;
        }
        Expression where = statement instanceof Update update ? update.getWhere() : ((Delete) statement).getWhere();
        String condition = orgCondition().toString();
        boolean scoped = where != null && (condition.equals(where.toString())
                || where instanceof AndExpression and && condition.equals(and.getLeftExpression().toString()));
        if (!scoped) {
            throw new SqlSandbox.Refused(UNSUPPORTED);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static Statement parse(String sql) throws SqlSandbox.Refused {
        try {
            Statements statements = CCJSqlParserUtil.parseStatements(sql, p -> p.withTimeOut(2000));
            if (statements == null || statements.size() != 1) {
                throw new SqlSandbox.Refused("exactly one statement is allowed");
            }
            return statements.get(0);
        } catch (JSQLParserException e) {
            throw new SqlSandbox.Refused("the query could not be parsed, so it is not allowed");
        }
    }

    private static boolean notEmpty(Collection<?> items) {
        return items != null && !items.isEmpty();
    }

    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Every node of a JSqlParser tree with the node that holds it, found through the fields of the tree's classes.
     * JSqlParser's visitors are written per node type and some types do not pass their children on (an array
     * subscript's subquery is never visited, for one), so a security check cannot rely on them to see every table.
     * Following fields reaches every child whatever its type; parser internals (tokens, the parse tree) are skipped.
     */
    static final class AstWalk {
        private static final String AST_PACKAGE = "net.sf.jsqlparser.";
        private static final String PARSER_PACKAGE = "net.sf.jsqlparser.parser.";

        record Node(Object owner, Object value) {
        }

        private AstWalk() {
        }

        static List<Node> nodes(Object root) {
            List<Node> nodes = new ArrayList<>();
            Set<Object> seen = identitySet();
            Deque<Node> todo = new ArrayDeque<>();
            todo.push(new Node(null, root));
            while (!todo.isEmpty()) {
                Node node = todo.pop();
                Object value = node.value();
                if (!seen.add(value)) {
                    continue;
                }
                nodes.add(node);
                if (value instanceof Iterable<?> items) {
                    // Expression lists are both tree nodes and java.util lists.
                    for (Object item : items) {
                        children(value, item, todo);
                    }
                }
                for (Class<?> type = value.getClass(); isTree(type); type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                            continue;
                        }
                        field.setAccessible(true);
                        try {
                            children(value, field.get(value), todo);
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
            return nodes;
        }

        private static void children(Object owner, Object value, Deque<Node> todo) {
            if (value == null) {
                return;
            }
            if (isTree(value.getClass())) {
                todo.push(new Node(owner, value));
            } else if (value instanceof Collection<?> items) {
                items.forEach(item -> children(owner, item, todo));
            } else if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    children(owner, k, todo);
                    children(owner, v, todo);
                });
            } else if (value instanceof Map.Entry<?, ?> entry) {
                children(owner, entry.getKey(), todo);
                children(owner, entry.getValue(), todo);
            } else if (value instanceof Object[] array) {
                for (Object item : array) {
                    children(owner, item, todo);
                }
            } else if (value instanceof Optional<?> optional) {
                optional.ifPresent(item -> children(owner, item, todo));
            }
        }

        private static boolean isTree(Class<?> type) {
            String name = type.getName();
            return name.startsWith(AST_PACKAGE) && !name.startsWith(PARSER_PACKAGE) && !type.isEnum()
                    && !(type.isAnonymousClass() && type.getSuperclass().isEnum());
        }
    }

    /**
     * Refuses lexical forms that JSqlParser reads differently from H2 or PostgreSQL. The statement that runs is the
     * text, so if the parser thinks part of it is a string or a comment and the database does not, the database runs
     * SQL that was never checked. PostgreSQL nests block comments and reads {@code E'\''} as a quote; JSqlParser
     * does neither. JSqlParser and H2 take {@code //} as a comment; PostgreSQL does not. Dollar quotes, prefixed
     * literals ({@code E'..'}, {@code U&'..'}), backticks and JDBC escapes ({@code {fn ..}}) are refused for the
     * same reason. Plugins pass values as {@code ?} parameters, so none of these are needed.
     */
    static final class LexicalGuard {
        private LexicalGuard() {
        }

        static void check(String sql) throws SqlSandbox.Refused {
            int i = 0;
            int n = sql.length();
            while (i < n) {
                char c = sql.charAt(i);
                char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
                if (c == '\'' || c == '"') {
                    char before = i > 0 ? sql.charAt(i - 1) : ' ';
                    if (c == '\'' && (Character.isLetterOrDigit(before) || before == '_') || before == '&') {
                        throw new SqlSandbox.Refused("prefixed literals such as E'...' are not allowed; "
                                + "pass values as ? parameters");
                    }
                    i = closing(sql, i, c);
                } else if (c == '-' && next == '-') {
                    while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                        i++;
                    }
                } else if (c == '/' && next == '*') {
                    i = commentEnd(sql, i);
                } else if (c == '/' && next == '/') {
                    throw new SqlSandbox.Refused("// is not allowed; use -- for comments");
                } else if (c == '$' || c == '`' || c == '{' || c == '}' || c == '\\') {
                    throw new SqlSandbox.Refused("the character " + c + " is not allowed outside strings");
                } else if (c > '~' || c < ' ' && c != '\t' && c != '\n' && c != '\r') {
                    throw new SqlSandbox.Refused("only printable ASCII is allowed outside strings and comments");
                } else {
                    i++;
                }
            }
        }

        /**
         * Index after a block comment. A comment opener inside it is refused, even one whose star is followed by the
         * closing slash, since PostgreSQL nests block comments and JSqlParser does not.
         */
        private static int commentEnd(String sql, int start) throws SqlSandbox.Refused {
            for (int i = start + 2; i < sql.length(); i++) {
                if (sql.startsWith("/*", i)) {
                    throw new SqlSandbox.Refused("nested comments are not allowed");
                }
                if (sql.startsWith("*/", i)) {
                    return i + 2;
                }
            }
            throw new SqlSandbox.Refused("the query has an unterminated comment");
        }

        /**
         * Index after the closing quote; a doubled quote is part of the literal in every dialect involved. Backslashes
         * in strings are refused because PostgreSQL reads them as escapes when standard_conforming_strings is off.
         */
        private static int closing(String sql, int start, char quote) throws SqlSandbox.Refused {
            int i = start + 1;
            while (i < sql.length()) {
                if (quote == '\'' && sql.charAt(i) == '\\') {
                    throw new SqlSandbox.Refused("backslashes in string literals are not allowed; "
                            + "pass the value as a ? parameter");
                }
                if (sql.charAt(i) == quote) {
                    if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            throw new SqlSandbox.Refused("the query has an unterminated " + (quote == '\'' ? "string" : "name"));
        }
    }
}
