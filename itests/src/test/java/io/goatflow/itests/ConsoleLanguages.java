package io.goatflow.itests;

import static io.goatflow.itests.ConsoleServer.LANGUAGES;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;

/** Every page in every language: no missing text, the right language and direction. */
public class ConsoleLanguages {
    private static final List<String> RTL = List.of("ar", "he", "fa", "ur");
    private static ConsoleServer S;

    @BeforeClass
    public static void server() {
        S = ConsoleBrowserIT.SERVER.started();
    }

    /** Every page, in every language: no missing text, and right-to-left where the language is. */
    @Test
    public void everyPageInEveryLanguageHasAllItsTexts() throws Exception {
        ConsoleServer.Tour tour = S.tour();
        String cookie = S.loginCookie("/api/v1/auth/login", "admin", S.adminPassword);
        String customerCookie = S.loginCookie("/api/v1/auth/customer/login", "carol", HelpDeskFixture.PASSWORD);
        List<String> failures = new ArrayList<>();
        for (String lang : LANGUAGES) {
            S.fx.call("PUT", "/api/v1/users/me/preferences", S.adminToken, Map.of("language", lang), 200);
            String customerToken = S.fx.customerToken("carol");
            S.fx.call("PUT", "/api/v1/users/me/preferences", customerToken, Map.of("language", lang), 200);
            for (String page : tour.agent()) {
                check(failures, lang, page, cookie);
            }
            for (String page : tour.customer()) {
                check(failures, lang, page, customerCookie);
            }
            for (String page : tour.anonymous()) {
                check(failures, lang, page, "GOATFLOW_LANG=" + lang);
            }
        }
        S.fx.call("PUT", "/api/v1/users/me/preferences", S.adminToken, Map.of("language", "en"), 200);
        assertTrue(failures.size() + " failures:\n" + String.join("\n", failures), failures.isEmpty());
    }

    private static void check(List<String> failures, String lang, String page, String cookie) {
        HttpResponse<String> response = TestHttp.send(S.http, HttpRequest.newBuilder(
                URI.create(S.base() + page)).header("Cookie", cookie).GET(), null);
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
}
