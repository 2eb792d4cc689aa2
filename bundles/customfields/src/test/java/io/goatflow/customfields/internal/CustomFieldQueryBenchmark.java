package io.goatflow.customfields.internal;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.goatflow.customfields.EntityAccess;
import io.goatflow.customfields.FieldFilter;
import io.goatflow.customfields.FieldInput;
import io.goatflow.customfields.QueryResult;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.DatabaseStatus;
import io.goatflow.persistence.SqlWork;
import io.goatflow.rest.Caller;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
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
 * {@code custom_fields_query} (the plugin path of {@link DatabaseCustomFieldService#pluginQuery}) on 100,000 tickets
 * with 20 fields each (2 million value rows) in an embedded H2 database built by the bundle's own migration.
 * Visibility is an existence check against a {@code ticket} table, as the ticket area's check is for plugins.
 * Run with {@code bundles/customfields/bench.sh}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class CustomFieldQueryBenchmark {
    static final String PLUGIN = "bench";

    @Param("100000")
    int tickets;

    private DatabaseCustomFieldService service;
    private List<FieldFilter> selective;
    private List<FieldFilter> twoFilters;
    private List<FieldFilter> near;
    private List<FieldFilter> like;
    private List<FieldFilter> broad;

    /** The {@link Database} contract over a plain H2 data source. */
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

    @Setup(Level.Trial)
    public void load() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bench" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Database database = new H2(h2);
        database.inTransaction(c -> {
            try (InputStream in = getClass().getResourceAsStream("/db/migrations/V001__custom_fields.sql");
                    Statement s = c.createStatement()) {
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
                for (String statement : sql.split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                s.execute("CREATE TABLE ticket (id BIGINT PRIMARY KEY)");
            } catch (java.io.IOException e) {
                throw new SQLException(e);
            }
            return null;
        });
        service = new DatabaseCustomFieldService(database, null);
        service.addEntityAccess(new EntityAccess() {
            @Override
            public Set<Long> readable(Caller caller, Collection<Long> ids) {
                return database.inTransaction(c -> {
                    Set<Long> found = new HashSet<>();
                    try (PreparedStatement q = c.prepareStatement("SELECT id FROM ticket WHERE id IN ("
                            + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")")) {
                        int i = 1;
                        for (Long id : ids) {
                            q.setLong(i++, id);
                        }
                        try (var rs = q.executeQuery()) {
                            while (rs.next()) {
                                found.add(rs.getLong(1));
                            }
                        }
                    }
                    return found;
                });
            }

            @Override
            public boolean writable(Caller caller, long id) {
                return false;
            }
        }, Map.of(EntityAccess.ENTITY_TYPE, "ticket"));

        List<FieldInput> fields = new ArrayList<>();
        for (int f = 0; f < 20; f++) {
            String type = switch (f % 5) {
                case 0 -> "integer";
                case 1 -> "text";
                case 2 -> "date";
                case 3 -> "select";
                default -> "point";
            };
            Map<String, Object> config = type.equals("select") ? Map.of("options", List.of("gold", "silver",
                    "bronze", "none")) : Map.of();
            fields.add(new FieldInput("ticket", "f" + f, "Field " + f, type, null, f, false, false, null, null, config,
                    true));
        }
        List<String> problems = service.declare(PLUGIN, fields);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.toString());
        }
        Map<String, Long> ids = new java.util.HashMap<>();
        service.definitions("ticket", false).forEach(d -> ids.put(d.name(), d.id()));
        Random random = new Random(42);
        Instant now = Instant.now();
        String[] choices = {"gold", "silver", "bronze", "none"};
        String[] words = {"printer", "network", "invoice", "laptop", "password", "vpn", "email", "phone"};
        database.inTransaction(c -> {
            try (PreparedStatement t = c.prepareStatement("INSERT INTO ticket (id) VALUES (?)");
                    PreparedStatement v = c.prepareStatement("INSERT INTO gk_custom_field_value (field_id, object_id,"
                            + " val_text, val_int, val_decimal, val_decimal2, val_date, val_json, change_time)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (long id = 1; id <= tickets; id++) {
                    t.setLong(1, id);
                    t.addBatch();
                    for (int f = 0; f < 20; f++) {
                        v.setLong(1, ids.get(PLUGIN + "_f" + f));
                        v.setLong(2, id);
                        v.setNull(3, java.sql.Types.VARCHAR);
                        v.setNull(4, java.sql.Types.BIGINT);
                        v.setNull(5, java.sql.Types.NUMERIC);
                        v.setNull(6, java.sql.Types.NUMERIC);
                        v.setNull(7, java.sql.Types.DATE);
                        v.setNull(8, java.sql.Types.VARCHAR);
                        switch (f % 5) {
                            case 0 -> v.setLong(4, random.nextInt(1000));
                            case 1 -> v.setString(3, words[random.nextInt(words.length)] + " issue "
                                    + random.nextInt(10_000));
                            case 2 -> v.setDate(7, java.sql.Date.valueOf(LocalDate.of(2026, 1, 1)
                                    .plusDays(random.nextInt(365))));
                            case 3 -> v.setString(3, choices[random.nextInt(choices.length)]);
                            default -> {
                                double lat = 47 + random.nextDouble() * 8;
                                double lng = 6 + random.nextDouble() * 9;
                                v.setBigDecimal(5, java.math.BigDecimal.valueOf(lat));
                                v.setBigDecimal(6, java.math.BigDecimal.valueOf(lng));
                                v.setString(8, "{\"lat\":" + lat + ",\"lng\":" + lng + "}");
                            }
                        }
                        v.setObject(9, java.sql.Timestamp.from(now));
                        v.addBatch();
                    }
                    if (id % 2000 == 0) {
                        t.executeBatch();
                        v.executeBatch();
                    }
                }
                t.executeBatch();
                v.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            return null;
        });
        selective = List.of(new FieldFilter("f0", "eq", IntNode.valueOf(500), null));
        twoFilters = List.of(new FieldFilter("f2", "between", TextNode.valueOf("2026-03-01"),
                TextNode.valueOf("2026-03-31")), new FieldFilter("f3", "eq", TextNode.valueOf("gold"), null));
        ObjectNode berlin = ValueCodec.JSON.createObjectNode().put("lat", 52.52).put("lng", 13.405);
        near = List.of(new FieldFilter("f4", "near", berlin, DoubleNode.valueOf(10)));
        like = List.of(new FieldFilter("f1", "like", TextNode.valueOf("vpn issue 12"), null));
        broad = List.of(new FieldFilter("f5", "gte", IntNode.valueOf(0), null));
    }

    @Benchmark
    public QueryResult eqOnInteger() {
        return service.pluginQuery(PLUGIN, "ticket", selective, 100);
    }

    @Benchmark
    public QueryResult dateRangeAndSelect() {
        return service.pluginQuery(PLUGIN, "ticket", twoFilters, 100);
    }

    @Benchmark
    public QueryResult nearWithin10Km() {
        return service.pluginQuery(PLUGIN, "ticket", near, 100);
    }

    @Benchmark
    public QueryResult likeOnText() {
        return service.pluginQuery(PLUGIN, "ticket", like, 100);
    }

    @Benchmark
    public QueryResult everyTicketFirst1000() {
        return service.pluginQuery(PLUGIN, "ticket", broad, 1000);
    }
}
