package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.net.http.HttpClient;
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
