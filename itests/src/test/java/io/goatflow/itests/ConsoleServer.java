package io.goatflow.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeFalse;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.rules.ExternalResource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One distribution, started as users start it (embedded H2), with a small help desk in it, shared by the browser
 * test classes of {@link ConsoleBrowserIT}; and Debian's Chromium, headless, driven by Selenium.
 */
final class ConsoleServer extends ExternalResource {
    static final String[] LANGUAGES = {"en", "ar", "zh", "fr", "de", "he", "ja", "fa", "pl", "pt", "ru", "es", "uk",
        "ur", "tlh"};
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final String adminPassword = "browser-admin-" + UUID.randomUUID();
    private DistributionProcess server;
    HttpClient http;
    HelpDeskFixture fx;
    String adminToken;
    long aliceId;
    long supportGroup;

    @Override
    protected void before() throws Exception {
        assumeFalse("runs once, in the H2 pass", GoatFlowTestSupport.onPostgres());
        assumeTrue("needs Debian's chromium and chromium-driver (.ci/run installs them)",
                new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute());
        http = TestHttp.client();
        server = DistributionProcess.unpack("browser", "console", Map.of("GOATFLOW_ADMIN_PASSWORD", adminPassword));
        server.start();
        server.awaitHealthy(http);
        adminToken = TestHttp.login(http, server.base(), "admin", adminPassword);
        fx = new HelpDeskFixture(http, server.base(), adminToken);
        long users = fx.groupId("users");
        supportGroup = fx.group("support");
        fx.queue("Support", supportGroup);
        aliceId = fx.agent("alice", Map.of(users, new String[] {"rw"}));
        fx.company("ACME");
        fx.customer("carol", "ACME");
        fx.company("Globex");
        fx.customer("dave", "Globex");
        Files.createDirectories(SCREENSHOTS);
    }

    @Override
    protected void after() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The console's pages by who sees them, over a ticket of carol's with a reply, an internal note and a file. */
    record Tour(long ticket, List<String> agent, List<String> customer, List<String> anonymous) {
    }

    private Tour tour;

    Tour tour() throws Exception {
        if (tour != null) {
            return tour;
        }
        long ticket = fx.call("POST", "/api/v1/tickets", adminToken, Map.of("title", "Tour: printer jams on tray 2",
                "queue_id", 1, "customer_user_id", "carol", "customer_id", "ACME", "article", Map.of("channel", "phone",
                        "body", "Paper jams every morning.")), 201).path("data").path("id").asLong();
        fx.call("POST", "/api/v1/tickets/" + ticket + "/articles", adminToken, Map.of("channel", "email",
                "to", "carol@example.test", "body", "Please send a photo of the tray.", "visible_for_customer", true,
                "attachments", List.of(Map.of("filename", "checklist.txt", "content_type", "text/plain",
                        "content_base64", java.util.Base64.getEncoder().encodeToString("1. open tray".getBytes())))), 201);
        fx.call("POST", "/api/v1/tickets/" + ticket + "/articles", adminToken,
                Map.of("channel", "note", "body", "Internal: the tray was replaced last month."), 201);
        long role = fx.call("POST", "/api/v1/roles", adminToken, Map.of("name", fx.name("tour-role")), 201)
                .path("data").path("id").asLong();
        long carol = fx.call("GET", "/api/v1/customer-users?search=carol", adminToken, null, 200).path("data").path(0)
                .path("id").asLong();
        // an organisation nobody belongs to yet: its pages are toured, and nobody's tickets move
        long org = fx.call("POST", "/api/v1/organisations", adminToken, Map.of("name", "Tour Org <i>bold</i>"), 201)
                .path("data").path("id").asLong();
        tour = new Tour(ticket, List.of("/agent/dashboard", "/agent/tickets", "/agent/tickets/new",
                "/agent/tickets/" + ticket, "/agent/customers", "/agent/customers?search=carol",
                "/agent/customers/" + carol, "/agent/search",
                "/agent/search?q=tray", "/agent/profile", "/admin", "/admin/users", "/admin/users/" + aliceId,
                "/admin/roles", "/admin/roles/" + role, "/admin/queues", "/admin/queues/1", "/admin/groups",
                "/admin/groups/1", "/admin/states",
                "/admin/priorities", "/admin/types", "/admin/customer-users", "/admin/customer-companies",
                "/admin/custom-fields", "/admin/sysconfig", "/admin/plugins", "/admin/organisations",
                "/admin/organisations/" + org, "/agent/no-such-page"),
                List.of("/customer/tickets", "/customer/tickets/" + ticket, "/customer/tickets/new", "/customer/profile"),
                List.of("/login", "/customer/login"));
        return tour;
    }

    /** Skips, saying why, when a member class is run on its own instead of through the suite. */
    ConsoleServer started() {
        assumeTrue("run through ConsoleBrowserIT", server != null);
        return this;
    }

    String base() {
        return server.base();
    }

    String log() throws Exception {
        return server.log();
    }

    ChromeDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1366,900",
                "--user-data-dir=" + Files.createTempDirectory("gf-chromium").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    static WebDriverWait waitFor(org.openqa.selenium.WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** Signs in through the login form, as a person does. */
    void login(org.openqa.selenium.WebDriver driver, String path, String login, String password, String landing) {
        driver.get(base() + path);
        driver.findElement(By.id("login")).sendKeys(login);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(driver).until(ExpectedConditions.urlContains(landing));
    }

    /** Puts a session cookie obtained through the API into the browser (quicker than the form, same session). */
    void useSession(org.openqa.selenium.WebDriver driver, String cookie) {
        driver.get(base() + "/static/console.css");
        int eq = cookie.indexOf('=');
        driver.manage().addCookie(new Cookie.Builder(cookie.substring(0, eq), cookie.substring(eq + 1)).path("/")
                .isHttpOnly(true).build());
    }

    /** {@code name=value} of the session cookie the API sets on a cookie login. */
    String loginCookie(String path, String login, String password) throws java.io.IOException {
        return TestHttp.loginCookie(http, base(), path, login, password);
    }

    static void screenshot(org.openqa.selenium.WebDriver driver, String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void noMissingText(org.openqa.selenium.WebDriver driver) {
        assertFalse("missing text on " + driver.getCurrentUrl(), driver.getPageSource().contains("⟦"));
    }
}
