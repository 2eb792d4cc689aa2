package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private final List<Instance> instances = new ArrayList<>();
    private final HttpClient http = TestHttp.client();

    private record Instance(Path home, int port, Map<String, String> env, Process[] process) {
        String base() {
            return "http://127.0.0.1:" + port;
        }

        String log() throws IOException {
            Path log = home.resolve("data/log/karaf.log");
            return Files.exists(log) ? Files.readString(log) : "";
        }
    }

    @After
    public void stopInstances() throws Exception {
        for (Instance instance : instances) {
            stop(instance);
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

        Instance a = unpack("a", url, user, password);
        Instance b = unpack("b", url, user, password);
        start(a);
        start(b);
        awaitHealthy(a);
        awaitHealthy(b);

        List<String> passwords = new ArrayList<>();
        for (Instance instance : List.of(a, b)) {
            String log = instance.log();
            assertFalse("migration error in " + instance.home(), log.contains("cannot be migrated"));
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
        stop(a);
        start(a);
        awaitHealthy(a);
        TestHttp.login(http, a.base(), "admin", passwords.get(0));
        assertEquals(migrations, query(url, user, password,
                "SELECT bundle || ':' || version || ':' || checksum || ':' || applied_at FROM gk_schema_migration"
                        + " ORDER BY bundle, version"));
        assertFalse("no second password", GENERATED.matcher(a.log().substring(a.log().indexOf(passwords.get(0))
                + passwords.get(0).length())).find());
    }

    private Instance unpack(String name, String url, String user, String password) throws Exception {
        Path home = Path.of("target", "multi", name).toAbsolutePath();
        if (Files.exists(home)) {
            run(List.of("rm", "-rf", home.toString()));
        }
        Files.createDirectories(home);
        run(List.of("tar", "xzf", System.getProperty("goatflow.itest.distribution"), "-C", home.toString(),
                "--strip-components=1"));
        // Karaf's own listeners must not collide between the two instances.
        replace(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort\\s*=\\s*\\d+", "sshPort = " + TestHttp.freePort());
        replace(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort\\s*=\\s*\\d+",
                "rmiRegistryPort = " + TestHttp.freePort());
        replace(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort\\s*=\\s*\\d+",
                "rmiServerPort = " + TestHttp.freePort());
        int port = TestHttp.freePort();
        Map<String, String> env = Map.of("GOATFLOW_DB_URL", url, "GOATFLOW_DB_USER", user,
                "GOATFLOW_DB_PASSWORD", password, "GOATFLOW_HTTP_PORT", String.valueOf(port));
        Instance instance = new Instance(home, port, env, new Process[1]);
        instances.add(instance);
        return instance;
    }

    private static void start(Instance instance) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(instance.home().resolve("bin/karaf").toString(), "server")
                .directory(instance.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.home().resolve("console.log").toFile()));
        builder.environment().putAll(instance.env());
        builder.environment().remove("GOATFLOW_ADMIN_PASSWORD");
        instance.process()[0] = builder.start();
    }

    private static void stop(Instance instance) throws Exception {
        Process process = instance.process()[0];
        if (process == null || !process.isAlive()) {
            return;
        }
        // bin/karaf is a script: the Karaf JVM is its child and must be gone before the next start.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
                handle.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitHealthy(Instance instance) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> health = TestHttp.get(http, instance.base() + "/health", null);
            // every area up: sysconfig and auth both answer an anonymous caller with 401
            HttpResponse<String> settings = TestHttp.get(http, instance.base() + "/api/v1/admin/sysconfig", null);
            HttpResponse<String> auth = TestHttp.send(http, java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(instance.base() + "/api/v1/auth/logout"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()), null);
            if (health != null && health.statusCode() == 200 && settings != null && settings.statusCode() == 401
                    && auth != null && auth.statusCode() == 401) {
                return;
            }
            if (!instance.process()[0].isAlive()) {
                throw new AssertionError("instance " + instance.home() + " exited");
            }
            Thread.sleep(500);
        }
        throw new AssertionError("instance " + instance.home() + " not healthy; log tail: " + tail(instance.log()));
    }

    private static String tail(String log) {
        return log.length() < 3000 ? log : log.substring(log.length() - 3000);
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

    private static void replace(Path file, String regex, String replacement) throws IOException {
        Files.writeString(file, Files.readString(file).replaceAll(regex, replacement));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("failed: " + command);
        }
    }

    static {
        new File("target/multi").mkdirs();
    }
}
