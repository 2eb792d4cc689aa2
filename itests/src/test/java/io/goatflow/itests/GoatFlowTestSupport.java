package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * What every container test shares: the built distribution booted by Pax Exam (H2, or PostgreSQL when
 * {@code goatflow.itest.db.url} is set), an HTTP client talking to it as users do, and waits with deadlines
 * instead of sleeps.
 */
public abstract class GoatFlowTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PORT_PROPERTY = "goatflow.itest.http.port";

    @Inject
    protected BundleContext bundleContext;

    protected final HttpClient http = TestHttp.client();

    /** The container; a test class that needs more options overrides this. */
    @Configuration
    public Option[] config() {
        return goatflow();
    }

    /** Every test starts once GoatFlow answers; a test that starts from a broken state overrides this. */
    @Before
    public void ready() throws Exception {
        awaitReady();
    }

    /** Container options; a test class adds its own. */
    public static Option[] goatflow(Option... extra) {
        String port = String.valueOf(TestHttp.freePort());
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("io.goatflow").artifactId("goatflow-distribution")
                                .version(System.getProperty("project.version")).type("tar.gz"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevelOption.LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", port),
                // WebAuthn answers are signed for the address the browser showed; tests sign for localhost
                editConfigurationFilePut("etc/io.goatflow.auth.cfg", "webauthn.origins", "http://localhost:" + port),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")),
                systemProperty(PORT_PROPERTY).value(port),
                systemProperty("project.version").value(System.getProperty("project.version")),
                systemProperty("goatflow.itest.db.url").value(dbUrl()),
                systemProperty("goatflow.itest.admin.password").value(adminPassword()),
                systemProperty("goatflow.itest.pg.ctl").value(System.getProperty("goatflow.itest.pg.ctl", "")),
                systemProperty("goatflow.itest.basedir").value(System.getProperty("goatflow.itest.basedir", "")),
                vmOption("-Djdk.util.zip.disableZip64ExtraFieldValidation=true"),
                vmOption("-Duser.timezone=UTC")));
        for (String flag : jdkModuleFlags()) {
            options.add(vmOption(flag));
        }
        if (!dbUrl().isEmpty()) {
            options.add(editConfigurationFilePut("etc/io.goatflow.persistence.cfg", "url", dbUrl()));
            options.add(editConfigurationFilePut("etc/io.goatflow.persistence.cfg", "user",
                    System.getProperty("goatflow.itest.db.user", "")));
            options.add(editConfigurationFilePut("etc/io.goatflow.persistence.cfg", "password",
                    System.getProperty("goatflow.itest.db.password", "")));
        }
        if (Boolean.getBoolean("goatflow.itest.keep")) {
            // -Dgoatflow.itest.keep=true keeps target/exam/<id>/ (logs, data) for a look after the run
            options.add(org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder());
        }
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    /** The flags bin/karaf passes on JDK 9+, which Pax Exam does not repeat (stack-notes pitfall 11). */
    static List<String> jdkModuleFlags() {
        return List.of("--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-4.4.10.jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-4.4.10.jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED");
    }

    static String dbUrl() {
        return System.getProperty("goatflow.itest.db.url", "").trim();
    }

    static boolean onPostgres() {
        return dbUrl().startsWith("jdbc:postgresql:");
    }

    static String adminPassword() {
        return System.getProperty("goatflow.itest.admin.password", "");
    }

    protected String base() {
        return "http://127.0.0.1:" + System.getProperty(PORT_PROPERTY);
    }

    /** Waits until every GoatFlow bundle is ACTIVE and the API and health check answer as they should. */
    protected void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        String problem = "";
        while (System.currentTimeMillis() < deadline) {
            List<String> notActive = goatflowBundles().stream().filter(b -> b.getState() != Bundle.ACTIVE)
                    .map(Bundle::getSymbolicName).collect(Collectors.toList());
            if (notActive.isEmpty()) {
                int health = statusOf(get("/health"));
                int version = statusOf(get("/api/v1/version"));
                int auth = statusOf(post("/api/v1/auth/logout", null, "{}"));
                int admin = statusOf(get("/api/v1/admin/sysconfig"));
                // Each area registers its resources once its schema is migrated; 401 means the route is mounted.
                int tickets = statusOf(get("/api/v1/tickets"));
                int plugins = statusOf(get("/api/v1/plugins"));
                int fields = statusOf(get("/api/v1/custom-fields/definitions"));
                int orgs = statusOf(get("/api/v1/session/orgs"));
                int tokens = statusOf(get("/api/v1/tokens"));
                if (health == 200 && version == 200 && auth == 401 && admin == 401 && tickets == 401
                        && plugins == 401 && fields == 401 && orgs == 401 && tokens == 401) {
                    return;
                }
                problem = "health " + health + ", version " + version + ", logout " + auth + ", sysconfig " + admin
                        + ", tickets " + tickets + ", plugins " + plugins + ", custom fields " + fields
                        + ", organisations " + orgs + ", tokens " + tokens;
            } else {
                problem = "not active: " + notActive;
            }
            Thread.sleep(250);
        }
        fail("GoatFlow did not become ready: " + problem);
    }

    protected List<Bundle> goatflowBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.goatflow."))
                .collect(Collectors.toList());
    }

    protected Bundle bundle(String symbolicName) {
        return goatflowBundles().stream().filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }

    static int statusOf(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    protected HttpResponse<String> get(String path) {
        return TestHttp.get(http, base() + path, null);
    }

    protected HttpResponse<String> get(String path, String token) {
        return TestHttp.get(http, base() + path, token);
    }

    protected HttpResponse<String> post(String path, String token, String json) {
        return TestHttp.send(http, HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    protected HttpResponse<String> put(String path, String token, String json) {
        return TestHttp.send(http, HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    protected HttpResponse<String> send(HttpRequest.Builder request, String token) {
        return TestHttp.send(http, request, token);
    }

    protected static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /**
     * For a 500 with a reference: the container's log lines around it (the tests run inside Karaf), so that a
     * failure in CI explains itself after the runtime folder is gone.
     */
    static String serverLogFor(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("reference ([0-9a-f-]{8,36})").matcher(body);
        String data = System.getProperty("karaf.data");
        if (!m.find() || data == null) {
            return "";
        }
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(data, "log", "karaf.log"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(m.group(1))) {
                    return "\nserver log:\n" + String.join("\n", lines.subList(i, Math.min(lines.size(), i + 60)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return "\n(server log unreadable: " + e + ")";
        }
        return "";
    }

    /** Asserts the status and that the body is the error envelope with {@code code}. */
    protected static JsonNode assertError(HttpResponse<String> response, int status, String code) throws IOException {
        if (response == null) {
            throw new AssertionError("no response (connection failed or timed out)");
        }
        assertEquals(response.body() + serverLogFor(response.body()), status, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0]);
        JsonNode body = json(response);
        assertEquals(response.body(), false, body.path("success").asBoolean(true));
        assertEquals(response.body(), code, body.path("error").path("code").asText());
        if (!body.path("error").path("message").isTextual()) {
            throw new AssertionError("error without message: " + response.body());
        }
        return body;
    }

    /** Logs in as the bootstrap admin and returns the bearer token. */
    protected String adminToken() throws IOException {
        return TestHttp.login(http, base(), "admin", adminPassword());
    }
}
