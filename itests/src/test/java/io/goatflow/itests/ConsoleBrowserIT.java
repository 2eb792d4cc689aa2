package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's Chromium, headless, driven by Selenium, against the built
 * distribution started as users start it (embedded H2). Agent, customer and admin flows, and every page in
 * every language without a missing text. Screenshots go to target/screenshots.
 */
public class ConsoleBrowserIT {
    private static final String ADMIN_PASSWORD = "browser-admin-" + UUID.randomUUID();
    private static final String[] LANGUAGES = {"en", "ar", "zh", "fr", "de", "he", "ja", "fa", "pl", "pt", "ru",
        "es", "uk", "ur", "tlh"};
    private static final List<String> RTL = List.of("ar", "he", "fa", "ur");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static DistributionProcess server;
    private static HttpClient http;
    private static HelpDeskFixture fx;
    private static String adminToken;
    private static long aliceId;
    private static long supportGroup;

    @BeforeClass
    public static void startServer() throws Exception {
        assumeFalse("runs once, in the H2 pass", GoatFlowTestSupport.onPostgres());
        assumeTrue("needs Debian's chromium and chromium-driver (.ci/run installs them)",
                new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute());
        http = TestHttp.client();
        server = DistributionProcess.unpack("browser", "console", Map.of("GOATFLOW_ADMIN_PASSWORD", ADMIN_PASSWORD));
        server.start();
        server.awaitHealthy(http);
        adminToken = TestHttp.login(http, server.base(), "admin", ADMIN_PASSWORD);
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

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static WebDriver browser() throws Exception {
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

    private static WebDriverWait waitFor(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private static void login(WebDriver driver, String path, String login, String password, String landing) {
        driver.get(server.base() + path);
        driver.findElement(By.id("login")).sendKeys(login);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(driver).until(ExpectedConditions.urlContains(landing));
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void noMissingText(WebDriver driver) {
        assertFalse("missing text on " + driver.getCurrentUrl(), driver.getPageSource().contains("⟦"));
    }

    @Test
    public void agentCreatesRepliesChangesStateAndOwnerAndLogsOut() throws Exception {
        WebDriver driver = browser();
        try {
            driver.get(server.base() + "/login");
            driver.findElement(By.id("login")).sendKeys("alice");
            driver.findElement(By.id("password")).sendKeys("wrong-password-123");
            driver.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement error = waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
            assertTrue(error.getText(), error.getText().contains("unknown login or wrong password"));
            screenshot(driver, "login-light");

            login(driver, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            noMissingText(driver);
            screenshot(driver, "dashboard-light");

            driver.get(server.base() + "/agent/tickets/new");
            driver.findElement(By.id("n-title")).sendKeys("Printer on fire");
            driver.findElement(By.id("n-customer")).sendKeys("carol");
            driver.findElement(By.id("n-company")).sendKeys("ACME");
            new Select(driver.findElement(By.id("n-queue"))).selectByVisibleText("Postmaster");
            driver.findElement(By.id("n-body")).sendKeys("Smoke from tray 2");
            screenshot(driver, "ticket-new-light");
            driver.findElement(By.id("create-ticket")).click();
            waitFor(driver).until(ExpectedConditions.urlMatches(".*/agent/tickets/\\d+.*"));
            assertEquals("Printer on fire", driver.findElement(By.id("ticket-title")).getText());
            String ticketUrl = driver.getCurrentUrl().replaceAll("\\?.*", "");

            driver.findElement(By.id("c-to")).sendKeys("carol@example.test");
            driver.findElement(By.id("c-body")).sendKeys("We are sending a technician.");
            driver.findElement(By.id("send-article")).click();
            waitFor(driver).until(ExpectedConditions.urlContains("notice=article_added"));
            assertTrue(driver.getPageSource().contains("We are sending a technician."));

            new Select(driver.findElement(By.id("u-state"))).selectByVisibleText("closed successful");
            new Select(driver.findElement(By.id("u-owner"))).selectByVisibleText("admin");
            driver.findElement(By.id("update-ticket")).click();
            waitFor(driver).until(ExpectedConditions.urlContains("notice=ticket_updated"));
            assertEquals("closed successful", driver.findElement(By.id("ticket-state")).getText());
            assertEquals("admin", driver.findElement(By.id("ticket-owner")).getText());
            noMissingText(driver);
            screenshot(driver, "ticket-zoom-light");
            assertTrue(ticketUrl.contains("/agent/tickets/"));

            driver.findElement(By.xpath("//form[@action='/logout']//button")).click();
            waitFor(driver).until(ExpectedConditions.urlContains("/login"));
            driver.get(ticketUrl);
            waitFor(driver).until(ExpectedConditions.urlContains("/login?next="));
        } finally {
            driver.quit();
        }
    }

    @Test
    public void customerSeesExactlyTheirTicketsAndCustomerVisibleArticles() throws Exception {
        String alice = fx.agentToken("alice");
        long carols = fx.call("POST", "/api/v1/tickets", alice, Map.of("title", "Carol's invoice question",
                "queue_id", 1, "customer_user_id", "carol", "customer_id", "ACME",
                "article", Map.of("channel", "phone", "body", "Carol called about invoice 42")), 201)
                .path("data").path("id").asLong();
        fx.call("POST", "/api/v1/tickets/" + carols + "/articles", alice,
                Map.of("channel", "note", "body", "INTERNAL: customer is on the watch list"), 201);
        fx.call("POST", "/api/v1/tickets", alice, Map.of("title", "Dave's secret ticket", "queue_id", 1,
                "customer_user_id", "dave", "customer_id", "Globex",
                "article", Map.of("channel", "phone", "body", "Dave only")), 201);

        WebDriver driver = browser();
        try {
            login(driver, "/customer/login", "carol", HelpDeskFixture.PASSWORD, "/customer/tickets");
            String list = driver.findElement(By.id("customer-tickets")).getText();
            assertTrue(list, list.contains("Carol's invoice question"));
            assertFalse(list, list.contains("Dave's secret ticket"));
            screenshot(driver, "customer-tickets-light");

            driver.findElement(By.linkText("Carol's invoice question")).click();
            waitFor(driver).until(ExpectedConditions.urlContains("/customer/tickets/" + carols));
            String page = driver.getPageSource();
            assertTrue(page.contains("Carol called about invoice 42"));
            assertFalse("internal note shown to the customer", page.contains("watch list"));

            Path upload = Files.createTempFile("invoice-", ".txt");
            Files.writeString(upload, "invoice 42 copy");
            driver.findElement(By.id("r-body")).sendKeys("Here is the invoice.");
            driver.findElement(By.id("dz-attachment")).sendKeys(upload.toAbsolutePath().toString());
            driver.findElement(By.id("send-reply")).click();
            waitFor(driver).until(ExpectedConditions.urlContains("notice=article_added"));
            assertTrue(driver.getPageSource().contains("Here is the invoice."));
            assertTrue(driver.getPageSource().contains(upload.getFileName().toString()));
            noMissingText(driver);
            screenshot(driver, "customer-ticket-light");
        } finally {
            driver.quit();
        }
        JsonNode articles = fx.call("GET", "/api/v1/tickets/" + carols + "/articles", adminToken, null, 200).path("data");
        JsonNode last = articles.get(articles.size() - 1);
        assertEquals("Here is the invoice.", last.path("body").asText());
        assertEquals(1, last.path("attachments").size());
    }

    @Test
    public void adminGrantsAQueueAndTheAgentThenSeesIt() throws Exception {
        WebDriver agent = browser();
        WebDriver admin = browser();
        try {
            login(agent, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            agent.get(server.base() + "/agent/tickets");
            assertFalse(queueOptions(agent).contains("Support"));

            login(admin, "/login", "admin", ADMIN_PASSWORD, "/agent/dashboard");
            admin.get(server.base() + "/admin/users/" + aliceId);
            admin.findElement(By.id("perm-" + supportGroup + "-rw")).click();
            screenshot(admin, "admin-permissions-light");
            admin.findElement(By.id("save-permissions")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=permissions_saved"));
            assertTrue(admin.findElement(By.id("perm-" + supportGroup + "-rw")).isSelected());

            agent.get(server.base() + "/agent/tickets");
            assertTrue(queueOptions(agent).contains("Support"));
            admin.get(server.base() + "/admin/plugins");
            noMissingText(admin);
            screenshot(admin, "admin-plugins-light");
        } finally {
            agent.quit();
            admin.quit();
        }
    }

    private static List<String> queueOptions(WebDriver driver) {
        List<String> names = new ArrayList<>();
        for (WebElement option : new Select(driver.findElement(By.id("f-queue"))).getOptions()) {
            names.add(option.getText());
        }
        return names;
    }

    /** Every page, in every language: no missing text, and right-to-left where the language is. */
    @Test
    public void everyPageInEveryLanguageHasAllItsTexts() throws Exception {
        long ticket = fx.call("POST", "/api/v1/tickets", adminToken, Map.of("title", "Language tour", "queue_id", 1,
                "article", Map.of("channel", "phone", "body", "tour")), 201).path("data").path("id").asLong();
        String cookie = loginCookie("/api/v1/auth/login", "admin", ADMIN_PASSWORD);
        String customerCookie = loginCookie("/api/v1/auth/customer/login", "carol", HelpDeskFixture.PASSWORD);
        List<String> agentPages = List.of("/agent/dashboard", "/agent/tickets", "/agent/tickets/new",
                "/agent/tickets/" + ticket, "/agent/customers", "/agent/search", "/agent/search?q=tour",
                "/agent/profile", "/admin", "/admin/users", "/admin/users/" + aliceId, "/admin/roles", "/admin/queues",
                "/admin/groups", "/admin/states", "/admin/priorities", "/admin/types", "/admin/customer-users",
                "/admin/customer-companies", "/admin/sysconfig", "/admin/plugins", "/agent/no-such-page");
        List<String> customerPages = List.of("/customer/tickets", "/customer/tickets/new", "/customer/profile");
        List<String> failures = new ArrayList<>();
        for (String lang : LANGUAGES) {
            fx.call("PUT", "/api/v1/users/me/preferences", adminToken, Map.of("language", lang), 200);
            String customerToken = fx.customerToken("carol");
            fx.call("PUT", "/api/v1/users/me/preferences", customerToken, Map.of("language", lang), 200);
            for (String page : agentPages) {
                check(failures, lang, page, cookie);
            }
            for (String page : customerPages) {
                check(failures, lang, page, customerCookie);
            }
            for (String page : List.of("/login", "/customer/login")) {
                check(failures, lang, page, "GOATFLOW_LANG=" + lang);
            }
        }
        fx.call("PUT", "/api/v1/users/me/preferences", adminToken, Map.of("language", "en"), 200);
        assertTrue(failures.size() + " failures:\n" + String.join("\n", failures), failures.isEmpty());
    }

    private static void check(List<String> failures, String lang, String page, String cookie) {
        HttpResponse<String> response = TestHttp.send(http, HttpRequest.newBuilder(
                java.net.URI.create(server.base() + page)).header("Cookie", cookie).GET(), null);
        String body = response.body();
        int expected = page.contains("no-such-page") ? 404 : 200;
        if (response.statusCode() != expected) {
            failures.add(lang + " " + page + ": status " + response.statusCode());
        } else if (body.contains("⟦")) {
            int at = body.indexOf("⟦");
            failures.add(lang + " " + page + ": missing " + body.substring(at, Math.min(body.length(), at + 60)));
        } else if (!body.contains("lang=\"" + lang + "\"")) {
            failures.add(lang + " " + page + ": not in " + lang);
        } else if (RTL.contains(lang) != body.contains("dir=\"rtl\"")) {
            failures.add(lang + " " + page + ": wrong direction");
        }
    }

    private static String loginCookie(String path, String login, String password) throws Exception {
        HttpResponse<String> response = TestHttp.send(http, HttpRequest.newBuilder(
                java.net.URI.create(server.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"" + login + "\",\"password\":\"" + password
                        + "\",\"cookie\":true}")), null);
        assertEquals(response.body(), 200, response.statusCode());
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
