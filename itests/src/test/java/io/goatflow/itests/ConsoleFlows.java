package io.goatflow.itests;

import static io.goatflow.itests.ConsoleServer.noMissingText;
import static io.goatflow.itests.ConsoleServer.screenshot;
import static io.goatflow.itests.ConsoleServer.waitFor;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** What agents, customers and admins do every day, through the pages, in Chromium. */
public class ConsoleFlows {
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    @Test
    public void agentCreatesRepliesChangesStateAndOwnerAndLogsOut() throws Exception {
        WebDriver driver = S.browser();
        try {
            driver.get(S.base() + "/login");
            driver.findElement(By.id("login")).sendKeys("alice");
            driver.findElement(By.id("password")).sendKeys("wrong-password-123");
            driver.findElement(By.cssSelector("button[type=submit]")).click();
            WebElement error = waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
            assertTrue(error.getText(), error.getText().contains("unknown login or wrong password"));
            screenshot(driver, "login-light");

            S.login(driver, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            noMissingText(driver);
            screenshot(driver, "dashboard-light");

            driver.get(S.base() + "/agent/tickets/new");
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
        String alice = S.fx.agentToken("alice");
        long carols = S.fx.call("POST", "/api/v1/tickets", alice, Map.of("title", "Carol's invoice question",
                "queue_id", 1, "customer_user_id", "carol", "customer_id", "ACME",
                "article", Map.of("channel", "phone", "body", "Carol called about invoice 42")), 201)
                .path("data").path("id").asLong();
        S.fx.call("POST", "/api/v1/tickets/" + carols + "/articles", alice,
                Map.of("channel", "note", "body", "INTERNAL: customer is on the watch list"), 201);
        S.fx.call("POST", "/api/v1/tickets", alice, Map.of("title", "Dave's secret ticket", "queue_id", 1,
                "customer_user_id", "dave", "customer_id", "Globex",
                "article", Map.of("channel", "phone", "body", "Dave only")), 201);

        WebDriver driver = S.browser();
        try {
            S.login(driver, "/customer/login", "carol", HelpDeskFixture.PASSWORD, "/customer/tickets");
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
        JsonNode articles = S.fx.call("GET", "/api/v1/tickets/" + carols + "/articles", S.adminToken, null, 200).path("data");
        JsonNode last = articles.get(articles.size() - 1);
        assertEquals("Here is the invoice.", last.path("body").asText());
        assertEquals(1, last.path("attachments").size());
    }

    @Test
    public void adminGrantsAQueueAndTheAgentThenSeesIt() throws Exception {
        WebDriver agent = S.browser();
        WebDriver admin = S.browser();
        try {
            S.login(agent, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            agent.get(S.base() + "/agent/tickets");
            assertFalse(queueOptions(agent).contains("Support"));

            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            admin.get(S.base() + "/admin/users/" + S.aliceId);
            admin.findElement(By.id("perm-" + S.supportGroup + "-rw")).click();
            screenshot(admin, "admin-permissions-light");
            admin.findElement(By.id("save-permissions")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=permissions_saved"));
            assertTrue(admin.findElement(By.id("perm-" + S.supportGroup + "-rw")).isSelected());

            agent.get(S.base() + "/agent/tickets");
            assertTrue(queueOptions(agent).contains("Support"));
            admin.get(S.base() + "/admin/plugins");
            noMissingText(admin);
            screenshot(admin, "admin-plugins-light");
        } finally {
            agent.quit();
            admin.quit();
        }
    }

    @Test
    public void agentsOnOneTicketSeeEachOtherLive() throws Exception {
        long ticket = S.fx.call("POST", "/api/v1/tickets", S.adminToken, Map.of("title", "Who is on this?",
                "queue_id", 1, "article", Map.of("channel", "phone", "body", "presence")), 201)
                .path("data").path("id").asLong();
        WebDriver admin = S.browser();
        WebDriver alice = S.browser();
        try {
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            S.login(alice, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            admin.get(S.base() + "/agent/tickets/" + ticket);
            assertFalse("alone on the ticket", admin.findElement(By.id("presence")).getText().contains("Test alice"));
            alice.get(S.base() + "/agent/tickets/" + ticket);
            waitFor(admin).until(ExpectedConditions.textToBePresentInElementLocated(By.id("presence"), "Test alice"));
            screenshot(admin, "ticket-presence-light");
            alice.get(S.base() + "/agent/dashboard"); // alice leaves: her stream ends and her presence with it
            new org.openqa.selenium.support.ui.WebDriverWait(admin, java.time.Duration.ofSeconds(45)).until(
                    ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("presence"),
                            "Test alice")));
        } finally {
            admin.quit();
            alice.quit();
        }
    }

    private static List<String> queueOptions(WebDriver driver) {
        List<String> names = new ArrayList<>();
        for (WebElement option : new Select(driver.findElement(By.id("f-queue"))).getOptions()) {
            names.add(option.getText());
        }
        return names;
    }
}
