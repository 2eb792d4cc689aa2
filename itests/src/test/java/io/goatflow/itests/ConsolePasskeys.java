package io.goatflow.itests;

import static io.goatflow.itests.ConsoleServer.noMissingText;
import static io.goatflow.itests.ConsoleServer.screenshot;
import static io.goatflow.itests.ConsoleServer.waitFor;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys and security keys in Chromium with Selenium's virtual authenticator (a real WebAuthn stack in the
 * browser): an agent and a customer register a passkey on their profile and sign in with it, without a password,
 * from the same button (the key decides whether an agent or a customer signs in); an agent registers a security key
 * and uses it after the password. Administrators reset the keys of someone who lost them (agent page and customer
 * user list). Chromium allows WebAuthn on http only for localhost, so these pages are opened at
 * http://localhost:port, one user per browser and authenticator.
 */
public class ConsolePasskeys {
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    private static String base() {
        return S.base().replace("://127.0.0.1:", "://localhost:");
    }

    private static VirtualAuthenticator authenticator(ChromeDriver driver, boolean passkeys) {
        return driver.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(passkeys ? VirtualAuthenticatorOptions.Transport.INTERNAL
                        : VirtualAuthenticatorOptions.Transport.USB)
                .setHasResidentKey(passkeys).setHasUserVerification(passkeys).setIsUserVerified(passkeys)
                .setIsUserConsenting(true));
    }

    private static void signIn(WebDriver driver, String path, String login, String landing) {
        driver.get(base() + path);
        waitFor(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("login"))).sendKeys(login);
        driver.findElement(By.id("password")).sendKeys(HelpDeskFixture.PASSWORD);
        driver.findElement(By.cssSelector("form[data-endpoint] button[type=submit]")).click();
        if (landing != null) {
            waitFor(driver).until(ExpectedConditions.urlContains(landing));
        }
    }

    /** Registers a key from the profile page; answers the page's text of the key list. */
    private static String register(WebDriver driver, String profile, String button, String name) throws Exception {
        driver.get(base() + profile);
        waitFor(driver).until(ExpectedConditions.elementToBeClickable(By.id(button)));
        driver.findElement(By.id("key-name")).sendKeys(name);
        driver.findElement(By.id("key-password")).sendKeys(HelpDeskFixture.PASSWORD);
        driver.findElement(By.id(button)).click();
        waitFor(driver).until(ExpectedConditions.urlContains("notice=key_added"));
        return driver.findElement(By.id("webauthn-key-list")).getText();
    }

    @Test
    public void agentsAndCustomersSignInWithAPasskey() throws Exception {
        S.fx.agent("paula", Map.of(S.fx.groupId("users"), new String[] {"rw"}));
        S.fx.company("pk-company");
        S.fx.customer("pia", "pk-company");
        ChromeDriver paula = S.browser();
        ChromeDriver pia = S.browser();
        ChromeDriver admin = S.browser();
        try {
            VirtualAuthenticator paulasLaptop = authenticator(paula, true);
            signIn(paula, "/login", "paula", "/agent/dashboard");
            String keys = register(paula, "/agent/profile", "passkey-add", "Work laptop");
            assertTrue(keys, keys.contains("Work laptop"));
            assertEquals(1, paulasLaptop.getCredentials().size());
            assertTrue("a passkey is discoverable", paulasLaptop.getCredentials().get(0).isResidentCredential());
            noMissingText(paula);
            screenshot(paula, "passkeys-profile");

            // signed out, the passkey button signs her in: no login name, no password
            paula.manage().deleteAllCookies();
            paula.get(base() + "/login");
            waitFor(paula).until(ExpectedConditions.elementToBeClickable(By.id("passkey-login"))).click();
            waitFor(paula).until(ExpectedConditions.urlContains("/agent/dashboard"));

            // a customer registers one from the customer profile and uses the agents' login page: the key decides
            VirtualAuthenticator piasPhone = authenticator(pia, true);
            signIn(pia, "/customer/login", "pia", "/customer/tickets");
            register(pia, "/customer/profile", "passkey-add", "Phone");
            assertEquals(1, piasPhone.getCredentials().size());
            pia.manage().deleteAllCookies();
            pia.get(base() + "/login");
            waitFor(pia).until(ExpectedConditions.elementToBeClickable(By.id("passkey-login"))).click();
            waitFor(pia).until(ExpectedConditions.urlContains("/customer/tickets"));

            // removing the passkey: the button no longer signs in, and says so
            pia.get(base() + "/customer/profile");
            pia.findElement(By.cssSelector("#webauthn-key-list form button")).click();
            waitFor(pia).until(ExpectedConditions.urlContains("notice=key_removed"));
            assertTrue(pia.findElements(By.id("webauthn-key-list")).isEmpty());
            pia.manage().deleteAllCookies();
            pia.get(base() + "/customer/login");
            waitFor(pia).until(ExpectedConditions.elementToBeClickable(By.id("passkey-login"))).click();
            assertTrue(waitFor(pia).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")))
                    .getText().length() > 5);
            screenshot(pia, "passkeys-login-refused");

            // a new phone and a new passkey; then she loses it and an administrator resets her keys from the list
            // of customer users
            pia.removeVirtualAuthenticator(piasPhone);
            authenticator(pia, true);
            signIn(pia, "/customer/login", "pia", "/customer/tickets");
            register(pia, "/customer/profile", "passkey-add", "New phone");
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            admin.get(S.base() + "/admin/customer-users?search=pia");
            admin.findElement(By.cssSelector("form[action$='/two-factor/clear'] button")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=two_factor_cleared"));
            pia.get(base() + "/customer/profile");
            waitFor(pia).until(ExpectedConditions.urlContains("/customer/login"));
            waitFor(pia).until(ExpectedConditions.elementToBeClickable(By.id("passkey-login"))).click();
            waitFor(pia).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
            signIn(pia, "/customer/login", "pia", "/customer/tickets");
        } finally {
            paula.quit();
            pia.quit();
            admin.quit();
        }
    }

    @Test
    public void aSecurityKeyIsTheSecondStep() throws Exception {
        long sekouId = S.fx.agent("sekou", Map.of(S.fx.groupId("users"), new String[] {"rw"}));
        ChromeDriver sekou = S.browser();
        ChromeDriver admin = null;
        try {
            VirtualAuthenticator usbKey = authenticator(sekou, false);
            signIn(sekou, "/login", "sekou", "/agent/dashboard");
            // a session alone does not add a key: a wrong current password is refused in the page's words
            sekou.get(base() + "/agent/profile");
            waitFor(sekou).until(ExpectedConditions.elementToBeClickable(By.id("security-key-add")));
            sekou.findElement(By.id("key-password")).sendKeys("not-the-password");
            sekou.findElement(By.id("security-key-add")).click();
            assertTrue(waitFor(sekou).until(ExpectedConditions.visibilityOfElementLocated(By.id("key-error")))
                    .getText().length() > 5);
            assertEquals(0, usbKey.getCredentials().size());
            String keys = register(sekou, "/agent/profile", "security-key-add", "");
            assertTrue(keys, keys.contains("Security key"));
            assertEquals(1, usbKey.getCredentials().size());
            assertFalse(usbKey.getCredentials().get(0).isResidentCredential());

            // the password alone no longer signs in: the second step offers the key, not a code
            sekou.manage().deleteAllCookies();
            signIn(sekou, "/login", "sekou", null);
            waitFor(sekou).until(ExpectedConditions.visibilityOfElementLocated(By.id("security-key-use")));
            assertFalse("no TOTP set up, so no code field", sekou.findElement(By.id("code")).isDisplayed());
            noMissingText(sekou);
            screenshot(sekou, "passkeys-security-key-step");
            sekou.findElement(By.id("security-key-use")).click();
            waitFor(sekou).until(ExpectedConditions.urlContains("/agent/dashboard"));

            // lost key: the administrator's reset on his page removes it, and the password alone signs in again
            admin = S.browser();
            S.login(admin, "/login", "admin", S.adminPassword, "/agent/dashboard");
            admin.get(S.base() + "/admin/users/" + sekouId);
            admin.findElement(By.id("clear-two-factor")).click();
            waitFor(admin).until(ExpectedConditions.urlContains("notice=two_factor_cleared"));
            sekou.manage().deleteAllCookies();
            signIn(sekou, "/login", "sekou", "/agent/dashboard");
            sekou.get(base() + "/agent/profile");
            assertTrue(sekou.findElements(By.id("webauthn-key-list")).isEmpty());
        } finally {
            if (admin != null) {
                admin.quit();
            }
            sekou.quit();
        }
    }
}
