package io.goatflow.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution as users run it: unpacked into {@code target/<dir>/<name>}, started with {@code bin/karaf
 * server} and the given environment, on free ports. For tests that need more than Pax Exam gives (several instances
 * on one database, a real browser against the real server).
 */
final class DistributionProcess {
    final Path home;
    final int port;
    private final Map<String, String> env;
    private Process process;

    private DistributionProcess(Path home, int port, Map<String, String> env) {
        this.home = home;
        this.port = port;
        this.env = env;
    }

    /** Unpacks a fresh copy; {@code env} gets {@code GOATFLOW_HTTP_PORT} added. */
    static DistributionProcess unpack(String dir, String name, Map<String, String> env) throws Exception {
        Path home = Path.of("target", dir, name).toAbsolutePath();
        if (Files.exists(home)) {
            run(List.of("rm", "-rf", home.toString()));
        }
        Files.createDirectories(home);
        run(List.of("tar", "xzf", System.getProperty("goatflow.itest.distribution"), "-C", home.toString(),
                "--strip-components=1"));
        replace(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort\\s*=\\s*\\d+", "sshPort = " + TestHttp.freePort());
        replace(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort\\s*=\\s*\\d+",
                "rmiRegistryPort = " + TestHttp.freePort());
        replace(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort\\s*=\\s*\\d+",
                "rmiServerPort = " + TestHttp.freePort());
        int port = TestHttp.freePort();
        // Karaf's shutdown socket takes a random port by default, and once took the HTTP port chosen here before
        // Jetty had bound it: give it its own
        int shutdown = TestHttp.freePort();
        while (shutdown == port) {
            shutdown = TestHttp.freePort();
        }
        Files.writeString(home.resolve("etc/config.properties"), "\nkaraf.shutdown.port = " + shutdown + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("GOATFLOW_HTTP_PORT", String.valueOf(port));
        return new DistributionProcess(home, port, all);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().remove("GOATFLOW_ADMIN_PASSWORD");
        builder.environment().putAll(env);
        process = builder.start();
    }

    void stop() throws Exception {
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

    /** Until every area is up: health 200, and settings, auth and custom fields answer an anonymous caller with 401. */
    void awaitHealthy(HttpClient http) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> health = TestHttp.get(http, base() + "/health", null);
            HttpResponse<String> settings = TestHttp.get(http, base() + "/api/v1/admin/sysconfig", null);
            HttpResponse<String> auth = TestHttp.send(http, HttpRequest.newBuilder(
                    URI.create(base() + "/api/v1/auth/logout")).POST(HttpRequest.BodyPublishers.noBody()), null);
            // custom fields mount last: their schema waits for the auth and ticket migrations
            HttpResponse<String> fields = TestHttp.get(http, base() + "/api/v1/custom-fields/definitions", null);
            if (health != null && health.statusCode() == 200 && settings != null && settings.statusCode() == 401
                    && auth != null && auth.statusCode() == 401 && fields != null && fields.statusCode() == 401) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("instance " + home + " exited");
            }
            Thread.sleep(500);
        }
        String log = log();
        throw new AssertionError("instance " + home + " not healthy; log tail: "
                + (log.length() < 3000 ? log : log.substring(log.length() - 3000)));
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
}
