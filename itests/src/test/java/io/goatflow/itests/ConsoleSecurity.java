package io.goatflow.itests;

import static io.goatflow.itests.ConsoleServer.noMissingText;
import static io.goatflow.itests.ConsoleServer.screenshot;
import static io.goatflow.itests.ConsoleServer.waitFor;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Sign-in security through the pages: an agent turns on two-factor authentication with a QR code and a key that
 * oathtool turns into codes, keeps the recovery codes, creates an access token, and signs in again with a code; an
 * administrator resets the second factor of someone who lost their phone.
 */
public class ConsoleSecurity {
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    private static void passwordStep(WebDriver driver, String login) {
        driver.get(S.base() + "/login");
        driver.findElement(By.id("login")).sendKeys(login);
        driver.findElement(By.id("password")).sendKeys(HelpDeskFixture.PASSWORD);
        driver.findElement(By.cssSelector("form[data-endpoint] button[type=submit]")).click();
    }

    @Test
    public void anAgentTurnsOnTwoFactorAndSignsInWithACode() throws Exception {
        long users = S.fx.groupId("users");
        long tessaId = S.fx.agent("tessa", Map.of(users, new String[] {"rw"}));
        WebDriver tessa = S.browser();
        WebDriver admin = S.browser();
        try {
            S.login(tessa, "/login", "tessa", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            tessa.get(S.base() + "/agent/profile");
            assertTrue(tessa.findElement(By.id("tfa-status")).isDisplayed());
            tessa.findElement(By.id("tfa-setup")).click();
            String secret = waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(By.id("totp-secret")))
                    .getText();
            assertTrue(secret, secret.matches("[A-Z2-7]{32}"));
            assertEquals(1, tessa.findElements(By.cssSelector("#totp-qr svg")).size());
            screenshot(tessa, "security-totp-setup");
            // a wrong first code is refused with the page's own words; the key stays on the page
            tessa.findElement(By.id("tfa-confirm-code")).sendKeys("12345");
            tessa.findElement(By.cssSelector("form[action$='/two-factor/confirm'] button[type=submit]")).click();
            assertTrue(waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#two-factor .gf-alert"))).isDisplayed());
            assertEquals(secret, tessa.findElement(By.id("totp-secret")).getText());
            Instant now = Instant.now();
            tessa.findElement(By.id("tfa-confirm-code")).sendKeys(Oath.totp(secret, now));
            tessa.findElement(By.cssSelector("form[action$='/two-factor/confirm'] button[type=submit]")).click();
            WebElement codes = waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(
                    By.id("recovery-codes")));
            assertEquals(8, codes.findElements(By.tagName("li")).size());
            String recovery = codes.findElements(By.tagName("li")).get(0).getText();
            noMissingText(tessa);
            screenshot(tessa, "security-recovery-codes");

            // an access token, shown once
            tessa.findElement(By.id("token-name")).sendKeys("nightly export");
            tessa.findElement(By.id("token-create")).click();
            String token = waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token")))
                    .getText();
            assertTrue(token, token.startsWith("gf_"));
            assertTrue(tessa.getPageSource().contains("nightly export"));
            assertEquals("tessa", S.fx.call("GET", "/api/v1/users/me", token, null, 200).path("data").path("login")
                    .asText());
            tessa.get(S.base() + "/agent/profile");
            assertFalse("shown once", tessa.getPageSource().contains(token));

            // signing in again: the password, then the code (a wrong one first)
            tessa.manage().deleteAllCookies();
            passwordStep(tessa, "tessa");
            WebElement code = waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
            code.sendKeys("000000");
            tessa.findElement(By.cssSelector("#second-factor button[type=submit]")).click();
            assertTrue(waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(By.id("code-error")))
                    .getText().length() > 5);
            screenshot(tessa, "security-login-code");
            tessa.findElement(By.id("code")).sendKeys(Oath.totp(secret, now.plusSeconds(30)));
            tessa.findElement(By.cssSelector("#second-factor button[type=submit]")).click();
            waitFor(tessa).until(ExpectedConditions.urlContains("/agent/dashboard"));

            // and once more with a recovery code
            tessa.manage().deleteAllCookies();
            passwordStep(tessa, "tessa");
            waitFor(tessa).until(ExpectedConditions.visibilityOfElementLocated(By.id("code"))).sendKeys(recovery);
            tessa.findElement(By.cssSelector("#second-factor button[type=submit]")).click();
            waitFor(tessa).until(ExpectedConditions.urlContains("/agent/dashboard"));
            tessa.get(S.base() + "/agent/profile");
            assertTrue(tessa.findElement(By.id("tfa-status")).getText().contains("7"));

            // the administrator resets it: tessa's sessions end, and the password alone works again
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            admin.get(S.base() + "/admin/users/" + tessaId);
            admin.findElement(By.id("clear-two-factor")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=two_factor_cleared"));
            tessa.get(S.base() + "/agent/profile");
            waitFor(tessa).until(ExpectedConditions.urlContains("/login"));
            S.login(tessa, "/login", "tessa", HelpDeskFixture.PASSWORD, "/agent/dashboard");
            assertEquals("two_factor.cleared", S.fx.call("GET", "/api/v1/audit-log?per_page=1",
                    TestHttp.login(TestHttp.client(), S.base(), "admin", S.adminPassword), null, 200).path("data").get(0).path("action").asText());
        } finally {
            tessa.quit();
            admin.quit();
        }
    }
}
