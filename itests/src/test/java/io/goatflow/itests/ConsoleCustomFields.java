package io.goatflow.itests;

import static io.goatflow.itests.ConsoleServer.noMissingText;
import static io.goatflow.itests.ConsoleServer.screenshot;
import static io.goatflow.itests.ConsoleServer.waitFor;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** Custom fields through the pages: an admin defines one field of each of the 15 types, an agent fills them in. */
public class ConsoleCustomFields {
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    private static void type(WebDriver driver, String id, String text) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Date and time controls take locale-specific keystrokes; set their value as a date picker would. */
    private static void pick(WebDriver driver, String id, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];",
                driver.findElement(By.id(id)), value);
    }

    private static String shown(WebDriver driver, String field) {
        return driver.findElement(By.cssSelector("#fields-view dd[data-field='" + field + "']")).getText();
    }

    @Test
    public void anAdminDefinesEveryTypeAndAnAgentFillsThemInOnATicket() throws Exception {
        Map<String, String> configs = new LinkedHashMap<>();
        for (String t : List.of("text", "textarea", "integer", "decimal", "boolean", "date", "datetime", "select",
                "multi_select", "url", "email", "phone", "point", "polygon", "address")) {
            configs.put(t, t.endsWith("select") ? "{\"options\": [{\"value\": \"low\", \"label\": \"Low\"},"
                    + " {\"value\": \"high\", \"label\": \"High\"}]}" : "");
        }
        WebDriver admin = S.browser();
        WebDriver agent = S.browser();
        WebDriver customer = S.browser();
        try {
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            for (var c : configs.entrySet()) {
                admin.get(S.base() + "/admin/custom-fields");
                new Select(admin.findElement(By.id("cf-entity"))).selectByValue("ticket");
                type(admin, "cf-name", "ui_" + c.getKey());
                type(admin, "cf-label", "UI " + c.getKey().replace('_', ' '));
                new Select(admin.findElement(By.id("cf-type"))).selectByValue(c.getKey());
                type(admin, "cf-section", "Browser");
                if (!c.getValue().isEmpty()) {
                    type(admin, "cf-config", c.getValue());
                }
                admin.findElement(By.id("cf-create")).click();
                waitFor(admin).until(ExpectedConditions.urlContains("notice=saved"));
            }
            assertEquals(15, admin.findElements(By.cssSelector("#cf-table tr[data-field^='ui_']")).size());
            // a bad definition is refused with the API's reason, and what was typed stays
            admin.get(S.base() + "/admin/custom-fields");
            type(admin, "cf-name", "ui_broken");
            type(admin, "cf-label", "Broken");
            new Select(admin.findElement(By.id("cf-type"))).selectByValue("select");
            admin.findElement(By.id("cf-create")).click();
            WebElement refused = waitFor(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
            assertTrue(refused.getText(), refused.getText().contains("options"));
            assertEquals("ui_broken", admin.findElement(By.id("cf-name")).getAttribute("value"));
            noMissingText(admin);
            screenshot(admin, "admin-custom-fields-light");

            long ticket = S.fx.call("POST", "/api/v1/tickets", S.adminToken, Map.of("title", "Fields in the browser",
                    "queue_id", 1, "customer_user_id", "carol", "article", Map.of("channel", "phone", "body", "x")), 201)
                    .path("data").path("id").asLong();
            S.login(agent, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            agent.get(S.base() + "/agent/tickets/" + ticket);
            agent.findElement(By.cssSelector("#fields summary")).click();
            type(agent, "cf-ui_text", "Serial 42");
            type(agent, "cf-ui_textarea", "First line");
            type(agent, "cf-ui_integer", "7");
            type(agent, "cf-ui_decimal", "19.95");
            new Select(agent.findElement(By.id("cf-ui_boolean"))).selectByValue("true");
            pick(agent, "cf-ui_date", "2026-11-23");
            pick(agent, "cf-ui_datetime", "2026-11-23T14:30");
            new Select(agent.findElement(By.id("cf-ui_select"))).selectByVisibleText("High");
            agent.findElement(By.name("cf-ui_multi_select-opt-low")).click();
            agent.findElement(By.name("cf-ui_multi_select-opt-high")).click();
            type(agent, "cf-ui_url", "https://example.com/manual");
            type(agent, "cf-ui_email", "ada@example.com");
            type(agent, "cf-ui_phone", "+49 30 1234-5678");
            type(agent, "cf-ui_point-lat", "52.52");
            type(agent, "cf-ui_point-lng", "13.405");
            type(agent, "cf-ui_polygon", "{\"type\":\"Polygon\",\"coordinates\":[[[13.3,52.5],[13.5,52.5],[13.5,52.6],"
                    + "[13.3,52.5]]]}");
            type(agent, "cf-ui_address-street", "Unter den Linden 1");
            type(agent, "cf-ui_address-postcode", "10117");
            type(agent, "cf-ui_address-city", "Berlin");
            type(agent, "cf-ui_address-country", "DE");
            agent.findElement(By.id("save-fields")).click();
            waitFor(agent).until(ExpectedConditions.urlContains("notice=fields_saved"));
            assertEquals("Serial 42", shown(agent, "ui_text"));
            assertEquals("7", shown(agent, "ui_integer"));
            assertEquals("2026-11-23", shown(agent, "ui_date"));
            assertTrue(shown(agent, "ui_datetime"), shown(agent, "ui_datetime").contains("2026"));
            assertEquals("Yes", shown(agent, "ui_boolean"));
            assertEquals("High", shown(agent, "ui_select"));
            assertEquals("Low, High", shown(agent, "ui_multi_select"));
            assertEquals("Unter den Linden 1, 10117, Berlin, DE", shown(agent, "ui_address"));
            agent.findElement(By.cssSelector("#fields summary")).click();
            // point and polygon come with a map preview drawn on the server
            assertEquals(2, agent.findElements(By.cssSelector("#fields-form svg.gf-map")).size());
            noMissingText(agent);
            screenshot(agent, "ticket-fields-light");

            JsonNode stored = S.fx.call("GET", "/api/v1/custom-fields/values/ticket/" + ticket, S.adminToken, null, 200)
                    .path("data").path("values");
            assertEquals(19.95, stored.path("ui_decimal").asDouble(), 0);
            assertTrue(stored.path("ui_boolean").asBoolean());
            assertEquals(13.405, stored.path("ui_point").path("lng").asDouble(), 1e-9);

            // a refused value is named next to its control; nothing of that save is written
            type(agent, "cf-ui_text", "Serial 43");
            type(agent, "cf-ui_phone", "call me maybe");
            agent.findElement(By.id("save-fields")).click();
            WebElement phoneError = waitFor(agent).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-field-error='ui_phone']")));
            assertTrue(phoneError.getText(), phoneError.getText().contains("phone number"));
            assertEquals("call me maybe", agent.findElement(By.id("cf-ui_phone")).getAttribute("value"));

            assertEquals("Serial 42", S.fx.call("GET", "/api/v1/custom-fields/values/ticket/" + ticket, S.adminToken,
                    null, 200).path("data").path("values").path("ui_text").asText());
            screenshot(agent, "ticket-fields-error-light");
            // a half-typed position is named by the console before the API is asked
            type(agent, "cf-ui_phone", "+49 30 1234-5678");
            agent.findElement(By.id("cf-ui_point-lng")).clear();
            agent.findElement(By.id("save-fields")).click();
            WebElement pointError = waitFor(agent).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-field-error='ui_point']")));
            assertTrue(pointError.getText(), pointError.getText().length() > 3);
            assertEquals(13.405, S.fx.call("GET", "/api/v1/custom-fields/values/ticket/" + ticket, S.adminToken,
                    null, 200).path("data").path("values").path("ui_point").path("lng").asDouble(), 1e-9);

            // the ticket's customer sees the fields marked for customers, read only
            for (JsonNode d : S.fx.call("GET", "/api/v1/custom-fields/definitions?entity_type=ticket", S.adminToken,
                    null, 200).path("data")) {
                if (d.path("name").asText().equals("ui_select")) {
                    S.fx.call("PUT", "/api/v1/custom-fields/definitions/" + d.path("id").asLong(), S.adminToken,
                            Map.of("customer_visible", true), 200);
                }
            }
            S.login(customer, "/customer/login", "carol", HelpDeskFixture.PASSWORD, "/customer/tickets");
            customer.get(S.base() + "/customer/tickets/" + ticket);
            assertEquals("High", shown(customer, "ui_select"));
            assertEquals(1, customer.findElements(By.cssSelector("#fields-view dd")).size());
            assertEquals(0, customer.findElements(By.id("fields-form")).size());
            assertTrue(!customer.getPageSource().contains("Serial 42"));
            noMissingText(customer);
            screenshot(customer, "customer-ticket-fields-light");
        } finally {
            admin.quit();
            agent.quit();
            customer.quit();
        }
    }

    private static long field(String entity, String name, String label, String type, Map<String, Object> config)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("entity_type", entity, "name", name, "label", label,
                "field_type", type));
        if (config != null) {
            body.put("config", config);
        }
        return S.fx.call("POST", "/api/v1/custom-fields/definitions", S.adminToken, body, 201).path("data").path("id")
                .asLong();
    }

    private static List<String> listedTitles(WebDriver driver) {
        return driver.findElements(By.cssSelector("#ticket-rows tbody td:nth-child(3) a")).stream()
                .map(WebElement::getText).toList();
    }

    @Test
    public void theTicketListShowsChosenFieldColumnsAndFiltersByThemAndEveryEntityPageHasItsCard() throws Exception {
        String tag = S.fx.suffix;
        field("ticket", "ls_score", "LS Score", "integer", null);
        field("ticket", "ls_tier", "LS Tier", "select", Map.of("options", List.of(Map.of("value", "gold", "label",
                "Gold"), Map.of("value", "silver", "label", "Silver"))));
        field("article", "ls_minutes", "LS Minutes", "integer", Map.of("min", 0));
        field("queue", "ls_region", "LS Region", "text", null);
        field("contact", "ls_segment", "LS Segment", "text", null);
        long first = S.fx.call("POST", "/api/v1/tickets", S.adminToken, Map.of("title", "Listed first " + tag,
                "queue_id", 1, "customer_user_id", "carol", "article", Map.of("channel", "phone", "body", "one")), 201)
                .path("data").path("id").asLong();
        long second = S.fx.call("POST", "/api/v1/tickets", S.adminToken, Map.of("title", "Listed second " + tag,
                "queue_id", 1, "customer_user_id", "carol", "article", Map.of("channel", "phone", "body", "two")), 201)
                .path("data").path("id").asLong();
        S.fx.call("PUT", "/api/v1/custom-fields/values/ticket/" + first, S.adminToken, Map.of("values",
                Map.of("ls_score", 3, "ls_tier", "gold")), 200);
        S.fx.call("PUT", "/api/v1/custom-fields/values/ticket/" + second, S.adminToken, Map.of("values",
                Map.of("ls_score", 8, "ls_tier", "silver")), 200);
        WebDriver agent = S.browser();
        WebDriver admin = S.browser();
        try {
            S.login(agent, "/login", "alice", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            agent.get(S.base() + "/agent/tickets?search=" + tag);
            assertEquals(List.of("Listed second " + tag, "Listed first " + tag), listedTitles(agent));
            // columns: chosen once, kept in the agent's preferences
            agent.findElement(By.cssSelector("#column-chooser summary")).click();
            agent.findElement(By.cssSelector("#column-chooser input[value='ls_score']")).click();
            agent.findElement(By.cssSelector("#column-chooser input[value='ls_tier']")).click();
            agent.findElement(By.cssSelector("#column-chooser button[type=submit]")).click();
            waitFor(agent).until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                    "//table//th[normalize-space()='LS Score']")));
            assertTrue(agent.getCurrentUrl(), agent.getCurrentUrl().contains("search=" + tag));
            WebElement firstRow = agent.findElement(By.xpath("//tr[td/a[normalize-space()='Listed first " + tag
                    + "']]"));
            assertTrue(firstRow.getText(), firstRow.getText().contains("Gold"));
            assertEquals("3", firstRow.findElement(By.xpath("td[count(//table//th[normalize-space()='LS Score']"
                    + "/preceding-sibling::th) + 1]")).getText());
            agent.get(S.base() + "/agent/tickets?search=" + tag);
            assertEquals(1, agent.findElements(By.xpath("//table//th[normalize-space()='LS Tier']")).size());

            // filters: a range for numbers, a choice for options
            agent.findElement(By.cssSelector("#field-filters summary")).click();
            type(agent, "ff-ls_score-from", "5");
            agent.findElement(By.cssSelector("form[action='/agent/tickets'] button[type=submit]")).click();
            waitFor(agent).until(ExpectedConditions.urlContains("cf.ls_score.gte=5"));
            assertEquals(List.of("Listed second " + tag), listedTitles(agent));
            assertEquals("5", agent.findElement(By.id("ff-ls_score-from")).getAttribute("value"));
            agent.findElement(By.id("ff-ls_score-from")).clear();
            new Select(agent.findElement(By.id("ff-ls_tier"))).selectByVisibleText("Gold");
            agent.findElement(By.cssSelector("form[action='/agent/tickets'] button[type=submit]")).click();
            waitFor(agent).until(ExpectedConditions.urlContains("cf.ls_tier=gold"));
            assertEquals(List.of("Listed first " + tag), listedTitles(agent));
            noMissingText(agent);
            screenshot(agent, "ticket-list-fields-light");
            // a value the API cannot use is named by its filter; the page stays up
            agent.get(S.base() + "/agent/tickets?search=" + tag + "&cf.ls_score.gte=lots");
            WebElement refused = agent.findElement(By.id("ff-ls_score-from-error"));
            assertTrue(refused.getText(), refused.getText().contains("whole number"));
            assertEquals("true", agent.findElement(By.id("ff-ls_score-from")).getAttribute("aria-invalid"));

            // article fields sit on each article, with their own form and messages
            agent.get(S.base() + "/agent/tickets/" + first);
            long article = S.fx.call("GET", "/api/v1/tickets/" + first + "/articles", S.adminToken, null, 200)
                    .path("data").path(0).path("id").asLong();
            String card = "a" + article;
            agent.findElement(By.cssSelector("[data-fields-card='" + card + "'] summary")).click();
            type(agent, card + "-cf-ls_minutes", "-3");
            // the box carries min="0", so the browser itself refuses -3 and nothing is sent
            agent.findElement(By.id(card + "-save-fields")).click();
            assertTrue(agent.getCurrentUrl(), !agent.getCurrentUrl().contains("notice="));
            assertEquals(false, ((JavascriptExecutor) agent).executeScript(
                    "return document.getElementById(arguments[0]).checkValidity();", card + "-cf-ls_minutes"));
            // without that help (an older browser, a script) the server refuses it and names it by the control
            ((JavascriptExecutor) agent).executeScript("document.getElementById(arguments[0]).removeAttribute('min');",
                    card + "-cf-ls_minutes");
            agent.findElement(By.id(card + "-save-fields")).click();
            WebElement minutesError = waitFor(agent).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-fields-card='" + card + "'] [data-field-error='ls_minutes']")));
            assertTrue(minutesError.getText(), minutesError.getText().contains("at least 0"));
            assertEquals("-3", agent.findElement(By.id(card + "-cf-ls_minutes")).getAttribute("value"));
            type(agent, card + "-cf-ls_minutes", "12");
            agent.findElement(By.id(card + "-save-fields")).click();
            waitFor(agent).until(ExpectedConditions.urlContains("notice=fields_saved"));
            assertEquals("12", agent.findElement(By.cssSelector("#" + card + "-fields-view dd[data-field='ls_minutes']"))
                    .getText());
            assertEquals(12, S.fx.call("GET", "/api/v1/custom-fields/values/article/" + article, S.adminToken, null,
                    200).path("data").path("values").path("ls_minutes").asInt());
            screenshot(agent, "article-fields-light");

            // a contact's page shows their fields to agents; only admins edit them
            long carol = S.fx.call("GET", "/api/v1/customer-users?search=carol", S.adminToken, null, 200).path("data")
                    .path(0).path("id").asLong();
            agent.get(S.base() + "/agent/customers/" + carol);
            assertEquals(1, agent.findElements(By.cssSelector("#fields-view dd[data-field='ls_segment']")).size());
            assertEquals(0, agent.findElements(By.id("fields-form")).size());
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            admin.get(S.base() + "/agent/customers/" + carol);
            admin.findElement(By.cssSelector("#fields summary")).click();
            type(admin, "cf-ls_segment", "Enterprise");
            admin.findElement(By.id("save-fields")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=fields_saved"));
            assertEquals("Enterprise", shown(admin, "ls_segment"));
            // queues (and groups) have a page of their own with the card
            admin.get(S.base() + "/admin/queues");
            admin.findElement(By.cssSelector("a[href='/admin/queues/1']")).click();
            admin.findElement(By.cssSelector("#fields summary")).click();
            type(admin, "cf-ls_region", "EMEA");
            admin.findElement(By.id("save-fields")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=fields_saved"));
            assertEquals("EMEA", shown(admin, "ls_region"));
            noMissingText(admin);
            screenshot(admin, "queue-fields-light");
        } finally {
            agent.quit();
            admin.quit();
        }
    }
}
