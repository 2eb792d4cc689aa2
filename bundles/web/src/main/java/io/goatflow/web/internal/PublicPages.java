package io.goatflow.web.internal;

import io.goatflow.rest.Caller;
import java.util.List;

/** Login pages, logout, the language switch for visitors, and the way in at {@code /}. */
final class PublicPages {
    private final ConsoleServlet console;

    PublicPages(ConsoleServlet console) {
        this.console = console;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/", Route.Area.PUBLIC, page -> new Result.Redirect("/agent/dashboard")),
                Route.of("GET", "/agent/?", Route.Area.PUBLIC, page -> new Result.Redirect("/agent/dashboard")),
                Route.of("GET", "/login", Route.Area.PUBLIC, page -> login(page, "agent")),
                Route.of("GET", "/customer/login", Route.Area.PUBLIC, page -> login(page, "customer")),
                Route.of("POST", "/logout", Route.Area.PUBLIC, page -> logout(page, Caller.Kind.AGENT)),
                Route.of("POST", "/customer/logout", Route.Area.CUSTOMER, page -> logout(page, Caller.Kind.CUSTOMER)),
                Route.of("POST", "/agent/org", Route.Area.AGENT, this::organisation),
                Route.of("POST", "/customer/org", Route.Area.CUSTOMER, this::organisation),
                Route.of("POST", "/preferences/language", Route.Area.PUBLIC, this::language),
                Route.of("POST", "/preferences/theme", Route.Area.PUBLIC, this::theme));
    }

    private Result login(Page page, String kind) {
        return page.view("login", "kind", kind, "next", safeNext(page.param("next"), kind),
                "endpoint", "customer".equals(kind) ? "/api/v1/auth/customer/login" : "/api/v1/auth/login");
    }

    private Result logout(Page page, Caller.Kind kind) {
        try {
            page.api.post("/api/v1/auth/logout", null);
        } catch (ApiClient.ApiError e) {
            // Already gone (expired or revoked): the cookie is cleared all the same.
        }
        page.response.addHeader("Set-Cookie", console.cookies().clear(kind));
        return new Result.Redirect(kind == Caller.Kind.CUSTOMER ? "/customer/login?notice=logged_out"
                : "/login?notice=logged_out");
    }

    /**
     * The org switcher: the session acts in another organisation from the next request on, on every instance. The
     * page the switch came from is shown again, unless it belongs to the organisation left (a ticket), then the list.
     */
    private Result organisation(Page page) {
        String back = safeBack(page.param("back"));
        boolean customer = page.area == Route.Area.CUSTOMER;
        String list = customer ? "/customer/tickets" : "/agent/tickets";
        Long org = page.longParam("org_id");
        try {
            page.api.post("/api/v1/session/org", java.util.Map.of("org_id", org == null ? 0 : org));
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            return new Result.Redirect(list + "?notice=org_refused");
        }
        String path = back.split("[?#]", 2)[0];
        String target = path.matches("/(agent|customer)/tickets/\\d+.*") || "/".equals(path) ? list : path;
        return new Result.Redirect(target + "?notice=org_switched");
    }

    /** For visitors (login pages): the chosen language in a session cookie, then back where they were. */
    private Result language(Page page) {
        Language.of(page.param("language")).ifPresent(l ->
                console.preferenceCookie(page.response, ConsoleServlet.LANG_COOKIE, l.code()));
        return new Result.Redirect(safeBack(page.param("back")));
    }

    private Result theme(Page page) {
        String theme = "dark".equals(page.param("theme")) ? "dark" : "light";
        console.preferenceCookie(page.response, ConsoleServlet.THEME_COOKIE, theme);
        return new Result.Redirect(safeBack(page.param("back")));
    }

    /** Only a path of this site: no scheme, no host, no {@code //evil.example}, no backslash tricks. */
    static String safeBack(String back) {
        if (back == null || !back.startsWith("/") || back.startsWith("//") || back.contains("\\")
                || back.length() > 500 || back.chars().anyMatch(ch -> ch < 0x20)) {
            return "/";
        }
        return back;
    }

    static String safeNext(String next, String kind) {
        String fallback = "customer".equals(kind) ? "/customer/tickets" : "/agent/dashboard";
        String safe = safeBack(next);
        if ("/".equals(safe) || safe.startsWith("/api/") || safe.contains("login")) {
            return fallback;
        }
        return safe;
    }
}
