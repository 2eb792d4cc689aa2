package io.goatflow.itests;

import static io.goatflow.itests.ConsoleServer.noMissingText;
import static io.goatflow.itests.ConsoleServer.screenshot;
import static io.goatflow.itests.ConsoleServer.waitFor;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Organisations through the pages: an admin creates two, adds an agent to both and gives one a setting; the agent
 * switches between them in the header and sees each one's tickets only. Runs last in the suite: the agent it uses
 * exists only here, so no other test's tickets change organisation.
 */
public class ConsoleOrganisations {
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    private static long create(WebDriver admin, String name) {
        admin.get(S.base() + "/admin/organisations");
        admin.findElement(By.id("no-name")).sendKeys(name);
        admin.findElement(By.cssSelector("form[aria-labelledby='no-heading'] button[type=submit]")).click();
        waitFor(admin).until(ExpectedConditions.urlContains("notice=created"));
        String url = admin.getCurrentUrl();
        return Long.parseLong(url.replaceAll(".*/admin/organisations/(\\d+).*", "$1"));
    }

    private static void addMember(WebDriver admin, long org, String login, boolean isDefault) {
        admin.get(S.base() + "/admin/organisations/" + org);
        new Select(admin.findElement(By.id("m-agent"))).selectByVisibleText(login);
        if (isDefault) {
            admin.findElement(By.id("m-default")).click();
        }
        admin.findElement(By.cssSelector("form[aria-labelledby='add-member-heading'] button[type=submit]")).click();
        waitFor(admin).until(ExpectedConditions.urlContains("notice=member_added"));
    }

    @Test
    public void anAgentSwitchesBetweenTwoOrganisationsAndSeesEachOnesTicketsOnly() throws Exception {
        long users = S.fx.groupId("users");
        S.fx.agent("olga", Map.of(users, new String[] {"rw"}));
        WebDriver admin = S.browser();
        WebDriver olga = S.browser();
        try {
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            long north = create(admin, "Northwind");
            long south = create(admin, "Southwind");
            // a second organisation with a taken short name is refused with the API's reason
            admin.get(S.base() + "/admin/organisations");
            admin.findElement(By.id("no-name")).sendKeys("Northwind again");
            admin.findElement(By.id("no-slug")).sendKeys("northwind");
            admin.findElement(By.cssSelector("form[aria-labelledby='no-heading'] button[type=submit]")).click();
            assertTrue(waitFor(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")))
                    .isDisplayed());
            addMember(admin, north, "olga", true);
            addMember(admin, south, "olga", false);
            assertTrue(admin.findElement(By.id("members-heading")).isDisplayed());
            // an organisation's own value of a setting, listed on its page
            admin.get(S.base() + "/admin/organisations/" + north);
            admin.findElement(By.id("oc-name")).sendKeys("SessionMaxIdleTime");
            admin.findElement(By.id("oc-value")).sendKeys("3600");
            admin.findElement(By.cssSelector("form[action$='/config'] button[type=submit]")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=saved"));
            assertTrue(admin.getPageSource().contains("SessionMaxIdleTime"));
            screenshot(admin, "admin-organisation");

            String olgaToken = S.fx.agentToken("olga");
            S.fx.call("POST", "/api/v1/tickets", olgaToken, Map.of("title", "Northern lights broken", "queue_id", 1,
                    "article", Map.of("channel", "phone", "body", "north")), 201);
            S.login(olga, "/login", "olga", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            olga.get(S.base() + "/agent/tickets");
            Select switcher = new Select(olga.findElement(By.id("gf-org")));
            assertEquals("Northwind", switcher.getFirstSelectedOption().getText());
            assertTrue(olga.getPageSource().contains("Northern lights broken"));
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                    .analyze(olga);
            for (Rule rule : results.getViolations()) {
                throw new AssertionError("axe: " + rule.getId() + " " + rule.getHelp() + " " + rule.getNodes());
            }

            switcher.selectByVisibleText("Southwind");
            olga.findElement(By.cssSelector("#gf-org-switcher button[type=submit]")).click();
            waitFor(olga).until(ExpectedConditions.urlContains("notice=org_switched"));
            assertEquals("Southwind", new Select(olga.findElement(By.id("gf-org"))).getFirstSelectedOption().getText());
            assertFalse(olga.getPageSource().contains("Northern lights broken"));
            noMissingText(olga);
            screenshot(olga, "org-switcher");
            assertEquals(2, S.fx.call("GET", "/api/v1/session/orgs", olgaToken, null, 200).path("data").size());

            // removed from Southwind, the next page is Northwind's again
            long membership = -1;
            for (var m : S.fx.call("GET", "/api/v1/organisations/" + south + "/members", S.adminToken, null, 200)
                    .path("data")) {
                membership = m.path("id").asLong();
            }
            admin.get(S.base() + "/admin/organisations/" + south);
            admin.findElement(By.cssSelector("form[action$='/members/" + membership + "/delete'] button")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=member_removed"));
            olga.get(S.base() + "/agent/tickets");
            assertEquals("Northwind", new Select(olga.findElement(By.id("gf-org"))).getFirstSelectedOption().getText());
            assertTrue(olga.getPageSource().contains("Northern lights broken"));
        } finally {
            admin.quit();
            olga.quit();
        }
    }
}
