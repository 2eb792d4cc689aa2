package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * axe-core's WCAG 2.1 A and AA rules on every page of the console, in the light and the dark theme, with the
 * page's HTMX parts loaded. Each page is also saved as a screenshot per theme.
 */
public class ConsoleAccessibility {
    private static final List<String> WCAG_21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    @Test
    public void everyPageMeetsWcag21AaInTheLightAndTheDarkTheme() throws Exception {
        ConsoleServer.Tour tour = S.tour();
        String customerToken = S.fx.customerToken("carol");
        List<String> failures = new ArrayList<>();
        for (String theme : List.of("light", "dark")) {
            S.fx.call("PUT", "/api/v1/users/me/preferences", S.adminToken, Map.of("theme", theme), 200);
            S.fx.call("PUT", "/api/v1/users/me/preferences", customerToken, Map.of("theme", theme), 200);
            scan(failures, theme, tour.agent(), S.loginCookie("/api/v1/auth/login", "admin", S.adminPassword));
            scan(failures, theme, tour.customer(),
                    S.loginCookie("/api/v1/auth/customer/login", "carol", HelpDeskFixture.PASSWORD));
            scan(failures, theme, tour.anonymous(), "GOATFLOW_THEME=" + theme);
        }
        S.fx.call("PUT", "/api/v1/users/me/preferences", S.adminToken, Map.of("theme", "light"), 200);
        assertTrue(failures.size() + " violations:\n" + String.join("\n", failures), failures.isEmpty());
    }

    private static void scan(List<String> failures, String theme, List<String> pages, String cookie) throws Exception {
        WebDriver driver = S.browser();
        try {
            S.useSession(driver, cookie);
            for (String page : pages) {
                driver.get(S.base() + page);
                settle(driver);
                String expected = "data-theme=\"" + theme + "\"";
                if (!driver.getPageSource().contains(expected)) {
                    failures.add(theme + " " + page + ": not rendered in the " + theme + " theme");
                    continue;
                }
                ConsoleServer.screenshot(driver,
                        theme + page.replaceAll("\\d+", "id").replaceAll("[^A-Za-z0-9]+", "-"));
                Results results = new AxeBuilder().withTags(WCAG_21_AA).analyze(driver);
                for (Rule rule : results.getViolations()) {
                    for (CheckedNode node : rule.getNodes()) {
                        failures.add(theme + " " + page + ": " + rule.getId() + " (" + rule.getHelp() + ") at "
                                + node.getTarget() + ": " + String.valueOf(node.getFailureSummary()).replace('\n', ' '));
                    }
                }
                if (results.isErrored()) {
                    failures.add(theme + " " + page + ": axe failed: " + results.getErrorMessage());
                }
            }
        } finally {
            driver.quit();
        }
    }

    /**
     * Without a mouse: an agent signs in with the keyboard alone, the first Tab offers "skip to content" with a
     * visible focus ring, and no page has a control that only a mouse can use (click handlers on elements that cannot
     * take focus).
     */
    @Test
    public void everyActionIsReachableFromTheKeyboard() throws Exception {
        ConsoleServer.Tour tour = S.tour();
        WebDriver driver = S.browser();
        try {
            driver.get(S.base() + "/login");
            WebElement focused = driver.switchTo().activeElement();
            assertEquals("the login field has the focus", "login", focused.getAttribute("id"));
            new Actions(driver).sendKeys("alice").sendKeys(Keys.TAB).sendKeys(HelpDeskFixture.PASSWORD)
                    .sendKeys(Keys.ENTER).perform();
            ConsoleServer.waitFor(driver).until(ExpectedConditions.urlContains("/agent/dashboard"));

            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement skip = driver.switchTo().activeElement();
            assertTrue("first Tab: " + skip.getAttribute("outerHTML"), skip.getAttribute("href").endsWith("#main"));
            assertTrue("the skip link shows when focused", skip.isDisplayed());
            String outline = (String) ((JavascriptExecutor) driver).executeScript(
                    "return getComputedStyle(document.activeElement).outlineStyle");
            assertFalse("visible focus ring", "none".equals(outline));
            new Actions(driver).sendKeys(Keys.ENTER).perform();
            assertTrue(driver.getCurrentUrl().endsWith("#main"));

            List<String> failures = new ArrayList<>();
            S.useSession(driver, S.loginCookie("/api/v1/auth/login", "admin", S.adminPassword));
            for (String page : tour.agent()) {
                driver.get(S.base() + page);
                settle(driver);
                Object mouseOnly = ((JavascriptExecutor) driver).executeScript("""
                        const native = ['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'LABEL', 'FORM'];
                        const bad = [];
                        for (const e of document.querySelectorAll('[x-on\\\\:click], [hx-get], [hx-post]')) {
                          const trigger = e.getAttribute('hx-trigger') || '';
                          if (e.hasAttribute('hx-get') && /^(load|every)/.test(trigger)) continue;
                          if (!native.includes(e.tagName) && !e.hasAttribute('tabindex')) bad.push(e.outerHTML.slice(0, 80));
                        }
                        return bad.join(' | ');
                        """);
                if (mouseOnly != null && !mouseOnly.toString().isEmpty()) {
                    failures.add(page + ": mouse-only " + mouseOnly);
                }
            }
            assertTrue(String.join("\n", failures), failures.isEmpty());
        } finally {
            driver.quit();
        }
    }

    /** Waits until HTMX has loaded the page's lazy parts (dashboard widgets, lookups). */
    static void settle(WebDriver driver) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                .executeScript("return document.readyState === 'complete'"
                        + " && document.querySelectorAll('.htmx-request, [data-gf-loading]').length === 0")));
    }
}
