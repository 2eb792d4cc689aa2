package io.goatflow.itests;

import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Hostile input through every text input of the console, in Chromium. Each payload would set the window name to
 * {@code gfxss} if it ever ran. The browser ignores the Content-Security-Policy here (DevTools
 * {@code Page.setBypassCSP}), so what is tested is the escaping and sanitising, not the CSP that backs them up;
 * each page is also searched for markup a payload could only have brought in unescaped (event handler attributes,
 * {@code javascript:} URLs, inline scripts, frames, HTMX or Alpine attributes carrying the marker).
 */
public class ConsoleXss {
    private static final String RUN = "top.name=/gfxss/.source";
    static final List<String> PAYLOADS = List.of(
            "<script>" + RUN + "</script>",
            "<SCRIPT>" + RUN + "</SCRIPT>",
            "<script src=\"data:text/javascript," + RUN + "\"></script>",
            "<img src=x onerror=\"" + RUN + "\">",
            "<img src=x onerror=" + RUN + ">",
            "<img/src=x/onerror=" + RUN + ">",
            "<IMG SRC=x OnErRoR=" + RUN + ">",
            "<img src=x onerror=&#116;op.name=/gfxss/.source>",
            "<img src=x onerror=eval(atob('dG9wLm5hbWU9J2dmeHNzJw=='))>",
            "<svg onload=" + RUN + ">",
            "<svg/onload=" + RUN + ">",
            "<svg><script>" + RUN + "</script></svg>",
            "<svg><animate onbegin=" + RUN + " attributeName=x dur=1s>",
            "<svg><a xlink:href=\"javascript:" + RUN + "\"><text x=20 y=20>gfxss</text></a></svg>",
            "<svg><style><img src=x onerror=" + RUN + "></style></svg>",
            "<body onload=" + RUN + ">",
            "<iframe srcdoc=\"<script>" + RUN + "</script>\"></iframe>",
            "<iframe src=\"javascript:" + RUN + "\"></iframe>",
            "<a href=\"javascript:" + RUN + "\">gfxss</a>",
            "<a href=\"JaVaScRiPt:" + RUN + "\">gfxss</a>",
            "<a href=\"&#106;avascript:" + RUN + "\">gfxss</a>",
            "<a href=\"java&#x09;script:" + RUN + "\">gfxss</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD50b3AubmFtZT0nZ2Z4c3MnPC9zY3JpcHQ+\">gfxss</a>",
            "javascript:" + RUN,
            "\"><script>" + RUN + "</script>",
            "'><img src=x onerror=" + RUN + ">",
            "\" onmouseover=\"" + RUN + "\" autofocus onfocus=\"" + RUN + "\" x=\"",
            "' onfocus='" + RUN + "' autofocus x='",
            "</textarea><script>" + RUN + "</script>",
            "</title><script>" + RUN + "</script>",
            "</script><script>" + RUN + "</script>",
            "</option></select><img src=x onerror=" + RUN + ">",
            "<input autofocus onfocus=" + RUN + ">",
            "<details open ontoggle=" + RUN + ">",
            "<video><source onerror=" + RUN + "></video>",
            "<audio src=x onerror=" + RUN + ">",
            "<marquee onstart=" + RUN + ">gfxss</marquee>",
            "<object data=\"javascript:" + RUN + "\"></object>",
            "<embed src=\"javascript:" + RUN + "\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=" + RUN + ">",
            "<noscript><p title=\"</noscript><img src=x onerror=" + RUN + ">\">",
            "<!--<img src=\"--><img src=x onerror=" + RUN + "//\">",
            "<![CDATA[<script>" + RUN + "</script>]]>",
            "<?xml version=\"1.0\"?><script>" + RUN + "</script>",
            "<scr<script>ipt>" + RUN + "</scr</script>ipt>",
            "<<script>script>" + RUN + "<</script>/script>",
            "&lt;script&gt;" + RUN + "&lt;/script&gt;",
            "%3Cscript%3E" + RUN + "%3C/script%3E",
            "\\u003cscript\\u003e" + RUN + "\\u003c/script\\u003e",
            "\uFF1Cscript\uFF1E" + RUN + "\uFF1C/script\uFF1E",
            "<img src=x onerror=\"" + RUN + "\"",
            "<form action=\"javascript:" + RUN + "\"><button id=gfxss>gfxss</button></form>",
            "<button formaction=\"javascript:" + RUN + "\">gfxss</button>",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:" + RUN + "\">",
            "<base href=\"javascript:" + RUN + "//\">",
            "<link rel=stylesheet href=\"javascript:" + RUN + "\">",
            "<table background=\"javascript:" + RUN + "\"><tr><td>gfxss</td></tr></table>",
            "<div x-data x-init=\"" + RUN + "\">gfxss</div>",
            "<div hx-get=\"/logout?gfxss\" hx-trigger=\"load\">gfxss</div>",
            "<div hx-on:htmx:load=\"" + RUN + "\">gfxss</div>",
            "{{ 7*7 }}gfxss",
            "{% raw %}gfxss{{ 7*7 }}",
            "${7*7}gfxss#{7*7}",
            "<style>*{background:url(\"javascript:" + RUN + "\")}</style>gfxss");

    /** Finds markup in the page that only an unescaped payload could have put there. */
    private static final String INJECTED = """
            const bad = [];
            const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster'];
            for (const e of document.querySelectorAll('*')) {
              const tag = e.tagName.toLowerCase();
              if (tag === 'script' && !(e.src && e.src.startsWith(location.origin + '/static/'))) bad.push('script');
              if (['iframe', 'object', 'embed', 'frame', 'base', 'isindex'].includes(tag)) bad.push(tag);
              if (tag === 'meta' && e.hasAttribute('http-equiv') && e.closest('body')) bad.push('meta refresh');
              if (e.id === 'gfxss') bad.push('element with id gfxss');
              for (const a of e.attributes) {
                const n = a.name.toLowerCase();
                const v = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
                if (n.startsWith('on')) bad.push(tag + ' ' + n);
                if (urlAttrs.includes(n) && /^(javascript|vbscript|data:text)/.test(v)) bad.push(tag + ' ' + n + '=' + v);
                if (/^(hx-|x-|@|:)/.test(n) && v.includes('gfxss')) bad.push(tag + ' ' + n + '=' + v);
              }
            }
            if (document.body && /49gfxss|gfxss49/.test(document.body.innerText)) bad.push('template expression evaluated');
            return bad.slice(0, 5).join('; ');
            """;

    /** A text setting that nothing in these tests depends on while it holds a payload (reset at the end). */
    private static final String SETTING = "Ticket::Attachment::BlockedExtensions";
    private static final String FILL_AND_SUBMIT = """
                const form = document.querySelector(arguments[0]);
                if (!form) return 'no form ' + arguments[0];
                const fixed = arguments[2];
                for (const el of form.elements) {
                  if (el.name in fixed) { el.value = fixed[el.name]; continue; }
                  const text = el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT'
                      && ['text', 'search', 'url', 'email', 'tel'].includes(el.type) && !el.readOnly);
                  if (text) el.value = arguments[1];
                }
                window.gfBefore = document.documentElement;
                form.noValidate = true;
                form.requestSubmit();
                return 'submitted';
                """;
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    @Test
    public void noPayloadRunsThroughAnyInputOfAgentsAdminsOrCustomers() throws Exception {
        assertTrue("at least 50 payloads", PAYLOADS.size() >= 50);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long target = S.fx.call("POST", "/api/v1/tickets", S.adminToken, Map.of("title", "XSS target", "queue_id", 1,
                "customer_user_id", "carol", "customer_id", "ACME",
                "article", Map.of("channel", "phone", "body", "target")), 201).path("data").path("id").asLong();
        // Rich text: HTML articles (as mail and API clients write them), shown raw after jsoup on both sides.
        for (String payload : PAYLOADS) {
            S.fx.call("POST", "/api/v1/tickets/" + target + "/articles", S.adminToken, Map.of("channel", "email",
                    "to", "carol@example.test", "content_type", "text/html", "visible_for_customer", true,
                    "subject", payload, "body", "<p>rich " + payload + "</p>"), 201);
        }

        String agentCookie = S.loginCookie("/api/v1/auth/login", "admin", S.adminPassword);
        String customerCookie = S.loginCookie("/api/v1/auth/customer/login", "carol", HelpDeskFixture.PASSWORD);
        // Three browsers at once (the agent's own pages, the admin pages, the portal and login), each going through
        // every payload.
        List<Callable<Void>> browsers = List.of(() -> inBrowser(agentCookie, driver -> {
            for (int i = 0; i < PAYLOADS.size(); i++) {
                String p = PAYLOADS.get(i);
                String enc = URLEncoder.encode(p, StandardCharsets.UTF_8);
                submit(failures, driver, "/agent/tickets/new", "form[action='/agent/tickets/new']", p, Map.of(
                        "customer_user_id", "carol", "customer_id", "ACME", "customer_email", "carol@example.test"));
                submit(failures, driver, "/agent/tickets/" + target, "form[action$='/articles']", p,
                        Map.of("to", "carol@example.test"));
                submit(failures, driver, "/agent/search?q=" + enc, "form[action='/agent/search/saved']", p, Map.of());
                for (String reflected : List.of("/agent/tickets?search=", "/agent/customers?search=",
                        "/agent/search?q=", "/agent/tickets?sort=", "/agent/no-such-page/")) {
                    visit(failures, driver, reflected + enc, p);
                }
            }
        }), () -> inBrowser(agentCookie, driver -> {
            for (int i = 0; i < PAYLOADS.size(); i++) {
                String p = PAYLOADS.get(i);
                String enc = URLEncoder.encode(p, StandardCharsets.UTF_8);
                submit(failures, driver, "/admin/users", "form[aria-labelledby=nu-heading]", p,
                        Map.of("login", "xss-agent-" + i, "password", "xss-password-" + i + "-long"));
                submit(failures, driver, "/admin/roles", "form[aria-labelledby=nr-heading]", p, Map.of());
                submit(failures, driver, "/admin/queues", "form[aria-labelledby=nq-heading]", p, Map.of());
                for (String kind : List.of("groups", "states", "priorities", "types")) {
                    submit(failures, driver, "/admin/" + kind, "form[aria-labelledby=nl-heading]", p, Map.of());
                }
                submit(failures, driver, "/admin/customer-companies", "form[aria-labelledby=ncc-heading]", p,
                        Map.of("customer_id", "XSS-" + i));
                submit(failures, driver, "/admin/customer-users", "form[aria-labelledby=ncu-heading]", p,
                        Map.of("login", "xss-customer-" + i, "email", "xss" + i + "@example.test", "customer_id",
                                "ACME", "password", "xss-password-" + i + "-long"));
                submit(failures, driver, "/admin/sysconfig?search=" + SETTING, "form[action='/admin/sysconfig']", p,
                        Map.of("value", HelpDeskFixture.JSON.writeValueAsString(p)));
                for (String reflected : List.of("/admin/users?search=", "/admin/customer-users?search=",
                        "/admin/customer-companies?search=", "/admin/sysconfig?search=")) {
                    visit(failures, driver, reflected + enc, p);
                }
            }
        }), () -> inBrowser(customerCookie, driver -> {
            for (String p : PAYLOADS) {
                String enc = URLEncoder.encode(p, StandardCharsets.UTF_8);
                submit(failures, driver, "/customer/tickets/new", "form[action='/customer/tickets/new']", p, Map.of());
                submit(failures, driver, "/customer/tickets/" + target, "form[action$='/reply']", p, Map.of());
                visit(failures, driver, "/customer/tickets?status=" + enc, p);
                visit(failures, driver, "/login?next=" + enc, p);
                visit(failures, driver, "/customer/login?next=" + enc, p);
            }
        }), () -> inBrowser(null, driver -> {
            for (String p : PAYLOADS) {
                submit(failures, driver, "/login", "form[data-endpoint]", p, Map.of("password", "wrong-password"));
            }
        }));
        ExecutorService pool = Executors.newFixedThreadPool(browsers.size());
        try {
            for (Future<Void> done : pool.invokeAll(browsers)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
            S.fx.call("DELETE", "/api/v1/admin/sysconfig/" + SETTING, S.adminToken, null, 200);
        }
        // Everything stored above, where it is listed.
        inBrowser(agentCookie, driver -> {
            for (String page : List.of("/agent/dashboard", "/agent/tickets?per_page=100&status=all",
                    "/agent/tickets/" + target, "/agent/search?q=gfxss", "/agent/customers?search=xss", "/admin/users",
                    "/admin/roles", "/admin/queues", "/admin/groups", "/admin/states", "/admin/priorities",
                    "/admin/types", "/admin/customer-companies?search=XSS", "/admin/customer-users?search=xss")) {
                visit(failures, driver, page, "stored");
            }
        });
        inBrowser(customerCookie, driver -> {
            for (String page : List.of("/customer/tickets", "/customer/tickets/" + target)) {
                visit(failures, driver, page, "stored");
            }
        });
        List<String> all = new ArrayList<>(failures);
        assertTrue(all.size() + " failures:\n" + String.join("\n", all.subList(0, Math.min(60, all.size()))),
                all.isEmpty());
    }

    @FunctionalInterface
    private interface BrowserWork {
        void run(ChromeDriver driver) throws Exception;
    }

    private static Void inBrowser(String cookie, BrowserWork work) throws Exception {
        ChromeDriver driver = hostileBrowser(cookie);
        try {
            work.run(driver);
        } finally {
            driver.quit();
        }
        return null;
    }

    private static ChromeDriver hostileBrowser(String cookie) throws Exception {
        ChromeDriver driver = S.browser();
        driver.executeCdpCommand("Page.enable", Map.of());
        driver.executeCdpCommand("Page.setBypassCSP", Map.of("enabled", true));
        if (cookie != null) {
            S.useSession(driver, cookie);
        }
        return driver;
    }

    /**
     * Opens a page, fills every text input and text area of one of its forms with the payload (named fields with
     * fixed values instead), submits it without the browser's own validation, and checks the answer page.
     */
    private static void submit(List<String> failures, ChromeDriver driver, String page, String form, String payload,
            Map<String, String> fixed) {
        // The answer to the last post is often the same page with the form again (a list and its "new" form).
        String current = driver.getCurrentUrl().replaceFirst("\\?notice=.*", "");
        if (!current.equals(S.base() + page) || driver.findElements(By.cssSelector(form)).isEmpty()) {
            driver.get(S.base() + page);
        }
        Object outcome = driver.executeScript(FILL_AND_SUBMIT, form, payload, new HashMap<>(fixed));
        if (!"submitted".equals(outcome)) {
            // seen in CI on /admin/roles and on the ticket page (three browsers at once on two cores): load the page
            // afresh, give it up to 10 s to show the form, and try once more; a form truly missing still fails
            driver.get(S.base() + page);
            try {
                new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                        .executeScript("return document.readyState === 'complete'"
                                + " && document.querySelector(arguments[0]) !== null", form)));
            } catch (org.openqa.selenium.TimeoutException e) {
                // reported below, with what the page held
            }
            outcome = driver.executeScript(FILL_AND_SUBMIT, form, payload, new HashMap<>(fixed));
        }
        if (!"submitted".equals(outcome)) {
            String source = driver.getPageSource();
            failures.add(page + ": " + outcome + " on " + driver.getCurrentUrl() + " titled " + driver.getTitle()
                    + " (page source " + source.length() + " characters, " + (source.contains("<form") ? "with"
                    : "without") + " forms, ready state " + ((JavascriptExecutor) driver)
                            .executeScript("return document.readyState") + ")");
            return;
        }
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                .executeScript("return window.gfBefore !== document.documentElement && document.readyState === 'complete'"
                        + " || document.querySelector('#login-error:not(:empty)') !== null")));
        check(failures, driver, "POST " + page + " " + form, payload);
    }

    private static void visit(List<String> failures, ChromeDriver driver, String page, String payload) {
        driver.get(S.base() + page);
        check(failures, driver, "GET " + page, payload);
    }

    private static void check(List<String> failures, ChromeDriver driver, String where, String payload) {
        // One round trip: give handlers that fire on load, error or focus a moment, then look.
        Object verdict = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "setTimeout(() => done((() => {"
                + "  if (window.name === 'gfxss') { window.name = ''; return 'payload ran'; }"
                + "  const injected = (() => {" + INJECTED + "})();"
                + "  if (injected) return 'injected markup (' + injected + ')';"
                + "  if (!document.title || document.documentElement.outerHTML.includes('Exception')) return 'broken page';"
                + "  return '';"
                + "})()), 50);");
        if (verdict != null && !verdict.toString().isEmpty()) {
            failures.add(where + ": " + verdict + " from " + payload);
        }
    }
}
