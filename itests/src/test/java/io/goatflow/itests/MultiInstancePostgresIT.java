package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * Two distributions started at the same moment against one fresh PostgreSQL database, the way a cluster comes up:
 * migrations apply once without corrupting gk_schema_migration, exactly one instance creates the admin with a
 * generated password (printed once), a session issued by one instance works on the other, and a restart changes
 * nothing.
 */
public class MultiInstancePostgresIT {
    private static final Pattern GENERATED = Pattern.compile("Generated password \\(shown only this once\\): (\\S+)");
    private final List<DistributionProcess> instances = new ArrayList<>();
    private final HttpClient http = TestHttp.client();

    @After
    public void stopInstances() throws Exception {
        for (DistributionProcess instance : instances) {
            instance.stop();
        }
    }

    @Test
    public void twoInstancesStartTogetherOnOneDatabase() throws Exception {
        String serverUrl = GoatFlowTestSupport.dbUrl();
        assumeTrue("needs PostgreSQL (./goatflow test runs this pass)", GoatFlowTestSupport.onPostgres());
        String user = System.getProperty("goatflow.itest.db.user");
        String password = System.getProperty("goatflow.itest.db.password");
        String database = "goatflow_multi_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(serverUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + database;

        DistributionProcess a = unpack("a", url, user, password);
        DistributionProcess b = unpack("b", url, user, password);
        a.start();
        b.start();
        a.awaitHealthy(http);
        b.awaitHealthy(http);

        List<String> passwords = new ArrayList<>();
        for (DistributionProcess instance : List.of(a, b)) {
            String log = instance.log();
            assertFalse("migration error in " + instance.home, log.contains("cannot be migrated"));
            Matcher m = GENERATED.matcher(log);
            while (m.find()) {
                passwords.add(m.group(1));
            }
        }
        assertEquals("exactly one instance created the admin: " + passwords, 1, passwords.size());
        String token = TestHttp.login(http, a.base(), "admin", passwords.get(0));
        HttpResponse<String> onB = TestHttp.get(http, b.base() + "/api/v1/admin/sysconfig", token);
        assertEquals("a session issued by A works on B: " + onB.body(), 200, onB.statusCode());
        TestHttp.login(http, b.base(), "admin", passwords.get(0));

        List<String> migrations = query(url, user, password,
                "SELECT bundle || ':' || version || ':' || checksum || ':' || applied_at FROM gk_schema_migration"
                        + " ORDER BY bundle, version");
        assertTrue(migrations.toString(), migrations.stream().anyMatch(r -> r.startsWith("io.goatflow.auth:1:")));
        assertTrue(migrations.toString(), migrations.stream().anyMatch(r -> r.startsWith("io.goatflow.sysconfig:1:")));
        assertTrue(migrations.toString(), migrations.stream().anyMatch(r -> r.startsWith("io.goatflow.tickets:4:")));
        assertEquals(List.of("0"), query(url, user, password,
                "SELECT COUNT(*) FROM sysconfig_default WHERE name NOT IN ('SessionMaxTime', 'SessionMaxIdleTime',"
                        + " 'Customer::ManagementGroup', 'SystemID', 'Ticket::Attachment::MaxBytes',"
                        + " 'Ticket::Attachment::TicketQuotaBytes', 'Ticket::Attachment::BlockedExtensions',"
                        + " 'CustomerPortal::CompanyTickets', 'CustomerPortal::DefaultQueue')"
                        + " AND name NOT LIKE 'Plugin::%'"));
        assertEquals(List.of("9"), query(url, user, password,
                "SELECT COUNT(*) FROM sysconfig_default WHERE name NOT LIKE 'Plugin::%'"));
        // both instances loaded the shipped Statistics plugin and defined its setting: one row
        String pluginSetting = "SELECT COUNT(*) FROM sysconfig_default WHERE name = 'Plugin::stats::Enabled'";
        for (int i = 0; i < 100 && query(url, user, password, pluginSetting).equals(List.of("0")); i++) {
            Thread.sleep(200);
        }
        assertEquals(List.of("1"), query(url, user, password, pluginSetting));
        assertEquals(List.of("4"), query(url, user, password, "SELECT COUNT(*) FROM queue"));
        assertEquals(List.of("3"), query(url, user, password, "SELECT COUNT(*) FROM groups"));
        assertEquals(List.of("1"), query(url, user, password, "SELECT COUNT(*) FROM users"));

        presenceCrossesInstances(a, b, token);

        // A second start of A changes nothing.
        a.stop();
        a.start();
        a.awaitHealthy(http);
        TestHttp.login(http, a.base(), "admin", passwords.get(0));
        assertEquals(migrations, query(url, user, password,
                "SELECT bundle || ':' || version || ':' || checksum || ':' || applied_at FROM gk_schema_migration"
                        + " ORDER BY bundle, version"));
        assertFalse("no second password", GENERATED.matcher(a.log().substring(a.log().indexOf(passwords.get(0))
                + passwords.get(0).length())).find());
    }

    /**
     * An agent's console on A streams who else views a ticket; another agent opening it through B shows up in that
     * stream, and A's viewer is seen from B.
     */
    private void presenceCrossesInstances(DistributionProcess a, DistributionProcess b, String adminToken)
            throws Exception {
        HelpDeskFixture onA = new HelpDeskFixture(http, a.base(), adminToken);
        long users = onA.groupId("users");
        onA.agent("pat", Map.of(users, new String[] {"rw"}));
        onA.agent("quinn", Map.of(users, new String[] {"ro"}));
        long ticket = onA.call("POST", "/api/v1/tickets", adminToken, Map.of("title", "Presence", "queue_id", 1,
                "article", Map.of("channel", "phone", "body", "who is here?")), 201).path("data").path("id").asLong();
        String cookie = TestHttp.loginCookie(http, a.base(), "/api/v1/auth/login", "pat", HelpDeskFixture.PASSWORD);
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(a.base()
                + "/agent/tickets/" + ticket + "/presence")).header("Cookie", cookie)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> stream.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            assertEquals("event: viewers", lines.poll(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("nobody else yet", "data: []", lines.poll(5, java.util.concurrent.TimeUnit.SECONDS));

            String quinn = TestHttp.login(http, b.base(), "quinn", HelpDeskFixture.PASSWORD);
            HelpDeskFixture onB = new HelpDeskFixture(http, b.base(), adminToken);
            JsonNode viewers = onB.call("PUT", "/api/v1/tickets/" + ticket + "/presence", quinn, null, 200).path("data");
            assertTrue("pat, viewing through A, is seen from B: " + viewers, viewers.toString().contains("\"pat\""));
            String line;
            long until = System.currentTimeMillis() + 20_000;
            do {
                line = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            } while ((line == null || !line.startsWith("data:")) && System.currentTimeMillis() < until);
            assertEquals("quinn, viewing through B, appears in A's stream", "data: [\"Test quinn\"]", line);
        } finally {
            reader.interrupt();
            stream.body().close();
        }
    }

    private DistributionProcess unpack(String name, String url, String user, String password) throws Exception {
        DistributionProcess instance = DistributionProcess.unpack("multi", name, Map.of("GOATFLOW_DB_URL", url,
                "GOATFLOW_DB_USER", user, "GOATFLOW_DB_PASSWORD", password));
        instances.add(instance);
        return instance;
    }

    private static List<String> query(String url, String user, String password, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

}
