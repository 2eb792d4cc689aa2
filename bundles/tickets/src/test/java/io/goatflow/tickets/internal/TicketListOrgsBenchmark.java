package io.goatflow.tickets.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.persistence.SqlWork;
import io.goatflow.rest.Caller;
import io.goatflow.tickets.TicketPage;
import io.goatflow.tickets.TicketQuery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent ticket list ({@link DatabaseTicketService#list}) on 100,000 tickets in an embedded H2 database built by
 * the real migrations of the auth, sysconfig and ticket bundles, in two modes: {@code scoped} spreads the tickets
 * over ten organisations and lists as an agent acting in one of them; {@code unscoped} is single-tenant mode, where
 * every ticket and the caller are in organisation 0. The agent may read every queue, so the list runs without a
 * queue filter unless a query asks for one. Run with {@code itests/bench/ticket-list-orgs.sh}; not part of the test
 * suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class TicketListOrgsBenchmark {
    static final long AGENT = 1;
    static final int ORGANISATIONS = 10;
    /** The organisation the agent acts in when scoped; any of 1..10 holds the same share. */
    static final long CALLER_ORG = 3;
    static final long QUEUE = 2;
    static final int PER_PAGE = 25;
    static final int DEEP_PAGE = 200;
    /** Open state ids of the seed data (new, open, pending reminder) and the closed ones. */
    static final long[] OPEN_STATES = {1, 4, 6};
    static final long[] CLOSED_STATES = {2, 3};

    @Param("100000")
    int tickets;

    @Param({"scoped", "unscoped"})
    String mode;

    private Database database;
    private DatabaseTicketService service;
    private Caller caller;
    private TicketQuery firstPage;
    private TicketQuery openByPriority;
    private TicketQuery deepPage;
    private TicketQuery oneQueue;

    /**
     * The {@link Database} contract over a plain H2 data source. Every transaction is a new H2 session, so H2's
     * per-session command and result caches never answer a repeated list: each call plans and reads afresh, as
     * it must in production, where tickets change between two loads of the list.
     */
    record H2(DataSource source) implements Database {
        @Override
        public DatabaseKind kind() {
            return DatabaseKind.H2;
        }

        @Override
        public DataSource dataSource() {
            return source;
        }

        @Override
        public <T> T inTransaction(SqlWork<T> work) {
            try (Connection c = source.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new DataAccessException(e.getMessage(), e);
            }
        }

        @Override
        public DatabaseStatus ping(Duration timeout) {
            return null;
        }
    }

    /** An agent holding every permission key in the given groups, as an admin in the groups of all queues does. */
    record AllQueues(Set<Long> groups) implements Permissions {
        @Override
        public Set<Long> groupsWith(long agentId, String permission) {
            return groups;
        }

        @Override
        public Map<String, Set<Long>> groupsByPermission(long agentId) {
            Map<String, Set<Long>> byKey = new HashMap<>();
            KEYS.forEach(key -> byKey.put(key, groups));
            return byKey;
        }

        @Override
        public boolean hasInGroupNamed(long agentId, String groupName, String permission) {
            return true;
        }
    }

    @Setup(Level.Trial)
    public void load() {
        boolean scoped = switch (mode) {
            case "scoped" -> true;
            case "unscoped" -> false;
            default -> throw new IllegalArgumentException("mode must be scoped or unscoped: " + mode);
        };
        JdbcDataSource h2 = new JdbcDataSource();
        // the settings of the product's embedded database, so the planner sees what it sees in production
        h2.setURL("jdbc:h2:mem:bench" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        database = new H2(h2);
        List<Long> queues = database.inTransaction(c -> {
            // the ticket tables reference valid, users and groups (auth V001) and their settings go into
            // sysconfig_default (sysconfig V001); the other auth and sysconfig migrations add nothing the list reads
            migrate(c, "V001__create_agents_and_sessions.sql");
            migrate(c, "V001__create_sysconfig.sql");
            migrate(c, "V001__create_ticket_tables.sql");
            migrate(c, "V002__create_search_index.h2.sql");
            migrate(c, "V003__ticket_settings.sql");
            migrate(c, "V004__list_indexes.sql");
            migrate(c, "V005__ticket_presence.sql");
            migrate(c, "V006__ticket_organisation.sql");
            migrate(c, "V007__ticket_org_queue_index.sql");
            // no migration seeds an agent; five share the tickets as owners and responsibles
            try (PreparedStatement u = c.prepareStatement("INSERT INTO users (id, login, pw, first_name, last_name,"
                    + " valid_id, create_time, create_by, change_time, change_by)"
                    + " VALUES (?, ?, 'x', 'Bench', ?, 1, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 1)")) {
                for (long id = AGENT; id < AGENT + 5; id++) {
                    u.setLong(1, id);
                    u.setString(2, "agent" + id);
                    u.setString(3, "Agent " + id);
                    u.addBatch();
                }
                u.executeBatch();
            }
            return longs(c, "SELECT id FROM queue ORDER BY id");
        });
        Set<Long> groups = database.inTransaction(c -> new HashSet<>(
                longs(c, "SELECT DISTINCT group_id FROM queue")));

        // what each query must find, counted while the rows are made, so the check below does not trust the SQL
        long expectedAll = 0;
        long expectedOpen = 0;
        long expectedQueue = 0;
        Random random = new Random(42);
        Instant now = Instant.now();
        long year = Duration.ofDays(365).toSeconds();
        String[] words = {"printer", "network", "invoice", "laptop", "password", "vpn", "email", "phone"};
        int perTransaction = 25_000;
        for (int from = 1; from <= tickets; from += perTransaction) {
            int first = from;
            int last = Math.min(tickets, from + perTransaction - 1);
            long[] counts = database.inTransaction(c -> {
                long all = 0;
                long open = 0;
                long inQueue = 0;
                try (PreparedStatement t = c.prepareStatement("INSERT INTO ticket (id, tn, title, queue_id,"
                        + " ticket_lock_id, type_id, user_id, responsible_user_id, ticket_priority_id,"
                        + " ticket_state_id, customer_id, customer_user_id, timeout, until_time, escalation_time,"
                        + " escalation_update_time, escalation_response_time, escalation_solution_time,"
                        + " archive_flag, create_time, create_by, change_time, change_by, org_id)"
                        + " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, ?, ?, 1, ?, 1, ?)")) {
                    for (int i = first; i <= last; i++) {
                        long org = scoped ? i % ORGANISATIONS + 1 : 0;
                        long queue = queues.get(random.nextInt(queues.size()));
                        // 70 % open (new, open, pending reminder), 30 % closed; a third of the closed are archived
                        boolean closed = random.nextInt(10) < 3;
                        long state = closed ? CLOSED_STATES[random.nextInt(CLOSED_STATES.length)]
                                : OPEN_STATES[random.nextInt(OPEN_STATES.length)];
                        boolean archived = closed && random.nextInt(3) == 0;
                        Instant created = now.minusSeconds(random.nextLong(year));
                        Instant changed = created.plusSeconds(random.nextLong(Duration.ofDays(30).toSeconds()));
                        long owner = AGENT + random.nextInt(5);
                        int customer = random.nextInt(2_000);
                        t.setLong(1, i);
                        t.setString(2, String.format("2025%012d", i));
                        t.setString(3, words[random.nextInt(words.length)] + " problem " + i);
                        t.setLong(4, queue);
                        t.setLong(5, 1 + random.nextInt(4));
                        t.setLong(6, owner);
                        t.setLong(7, owner);
                        t.setLong(8, 1 + random.nextInt(5));
                        t.setLong(9, state);
                        t.setString(10, "company" + customer / 20);
                        t.setString(11, "customer" + customer + "@example.com");
                        t.setInt(12, archived ? 1 : 0);
                        t.setTimestamp(13, Timestamp.from(created));
                        t.setTimestamp(14, Timestamp.from(changed.isAfter(now) ? now : changed));
                        t.setLong(15, org);
                        t.addBatch();
                        if (i % 2_000 == 0) {
                            t.executeBatch();
                        }
                        if (org == (scoped ? CALLER_ORG : 0) && !archived) {
                            all++;
                            open += closed ? 0 : 1;
                            inQueue += queue == QUEUE ? 1 : 0;
                        }
                    }
                    t.executeBatch();
                }
                return new long[] {all, open, inQueue};
            });
            expectedAll += counts[0];
            expectedOpen += counts[1];
            expectedQueue += counts[2];
        }
        database.inTransaction(c -> {
            // fresh statistics, as H2's automatic ANALYZE would have after this many changed rows in production
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            return null;
        });

        service = new DatabaseTicketService(database, new AllQueues(groups), null);
        caller = new Caller(AGENT, "bench", Caller.Kind.AGENT, false, 0, null, scoped ? CALLER_ORG : 0);
        firstPage = new TicketQuery(null, null, null, null, null, null, null, null, null, "created", false, false, 1,
                PER_PAGE);
        openByPriority = new TicketQuery("open", null, null, null, null, null, null, null, null, "priority", false,
                false, 1, PER_PAGE);
        deepPage = new TicketQuery(null, null, null, null, null, null, null, null, null, "created", false, false,
                DEEP_PAGE, PER_PAGE);
        oneQueue = new TicketQuery(null, QUEUE, null, null, null, null, null, null, null, "created", false, false, 1,
                PER_PAGE);

        // an empty or wrongly scoped list would be fast for the wrong reason: refuse to measure it
        check("first page", firstPage(), expectedAll, 1);
        check("open by priority", openByPriority(), expectedOpen, 1);
        check("deep page", deepPage(), expectedAll, DEEP_PAGE);
        check("one queue", oneQueue(), expectedQueue, 1);
        System.out.printf("%n%s: %d tickets, %d listed (%d open, %d in queue %d)%n", mode, tickets, expectedAll,
                expectedOpen, expectedQueue, QUEUE);
    }

    /** The total must be the counted one, the page as full as that total allows, and every row of the caller's org. */
    private void check(String what, TicketPage page, long expected, int pageNumber) {
        long onPage = Math.max(0, Math.min(PER_PAGE, expected - (long) (pageNumber - 1) * PER_PAGE));
        if (expected == 0 || page.total() != expected || page.tickets().size() != onPage) {
            throw new IllegalStateException(what + " (" + mode + "): total " + page.total() + " and "
                    + page.tickets().size() + " rows, expected " + expected + " and " + onPage);
        }
        if (!page.tickets().isEmpty()) {
            StringBuilder ids = new StringBuilder();
            page.tickets().forEach(t -> ids.append(ids.isEmpty() ? "" : ",").append(t.id()));
            List<Long> foreign = database.inTransaction(c -> longs(c, "SELECT id FROM ticket WHERE org_id <> "
                    + caller.orgId() + " AND id IN (" + ids + ")"));
            if (!foreign.isEmpty()) {
                throw new IllegalStateException(what + " (" + mode + "): tickets of another organisation " + foreign);
            }
        }
    }

    private static void migrate(Connection c, String name) throws SQLException {
        try (InputStream in = TicketListOrgsBenchmark.class.getResourceAsStream("/db/migrations/" + name);
                Statement s = c.createStatement()) {
            if (in == null) {
                throw new IllegalStateException("migration not on the classpath: " + name);
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            // statements end a line; a semicolon inside a line is text ("Identifies this installation; the ...")
            for (String statement : sql.split("(?m);\\s*$")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        } catch (IOException e) {
            throw new SQLException(e);
        }
    }

    /** One column of longs, for the setup's own queries. */
    private static List<Long> longs(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Long> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
            return values;
        }
    }

    @Benchmark
    public TicketPage firstPage() {
        return service.list(caller, firstPage);
    }

    @Benchmark
    public TicketPage openByPriority() {
        return service.list(caller, openByPriority);
    }

    @Benchmark
    public TicketPage deepPage() {
        return service.list(caller, deepPage);
    }

    @Benchmark
    public TicketPage oneQueue() {
        return service.list(caller, oneQueue);
    }
}
