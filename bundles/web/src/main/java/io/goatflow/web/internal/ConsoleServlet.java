package io.goatflow.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.rest.SameOrigin;
import io.goatflow.rest.SessionCookies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: every page below {@code /} that is not the API, {@code /health} or a static asset. It finds
 * the route, checks who is asking (agent and admin pages want the agent session cookie, the portal the customer
 * one), picks language and theme, runs the page and renders its template. Unknown paths get the friendly 404;
 * failures the friendly 500 with a reference id that is also in the log, never a stack trace.
 */
@Component(service = Servlet.class, configurationPid = "io.goatflow.web")
@Designate(ocd = WebConfig.class)
@HttpWhiteboardServletName("goatflow-console")
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardServletMultipart(enabled = true, maxFileSize = 20_971_520L, maxRequestSize = 26_214_400L,
        fileSizeThreshold = 1_048_576)
public final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
    static final String LANG_COOKIE = "GOATFLOW_LANG";
    static final String THEME_COOKIE = "GOATFLOW_THEME";

    private final transient Messages messages;
    private final transient Templates templates;
    private final transient HttpClient http;
    private final transient List<Route> routes = new ArrayList<>();
    private final transient SessionCookies cookies;
    private final transient EventStreams streams = new EventStreams();

    @Activate
    public ConsoleServlet(WebConfig config, @Reference SessionCookies cookies) {
        ClassLoader loader = ConsoleServlet.class.getClassLoader();
        this.messages = new Messages(loader);
        this.templates = new Templates(loader, messages, config.template_cache());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.cookies = cookies;
        routes.addAll(new PublicPages(this).routes());
        routes.addAll(new AgentPages().routes());
        routes.addAll(SavedSearches.routes());
        routes.addAll(TicketPresence.routes());
        routes.addAll(new CustomerPages().routes());
        routes.addAll(new AdminPages().routes());
        routes.addAll(new OrganisationPages().routes());
        routes.addAll(new CustomFieldPages().routes());
    }

    @Deactivate
    void deactivate() {
        streams.shutdown();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        Language lang = anonymousLanguage(request);
        String theme = "dark".equals(cookie(request, THEME_COOKIE)) ? "dark" : "light";
        if (!SameOrigin.allows(method, request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Host"))) {
            error(request, response, 403, lang, theme);
            return;
        }
        Route route = null;
        Matcher match = null;
        for (Route candidate : routes) {
            match = candidate.match(method, path);
            if (match != null) {
                route = candidate;
                break;
            }
        }
        if (route == null) {
            // A signed-in user reads the 404 in their own language and theme.
            String area = path.startsWith("/customer") ? SessionCookies.CUSTOMER_COOKIE : SessionCookies.AGENT_COOKIE;
            String token = cookie(request, area);
            if (token != null) {
                try {
                    JsonNode preferences = new ApiClient(http, apiBase(request), area + "=" + token, null, lang.code())
                            .get("/api/v1/users/me/preferences");
                    lang = language(preferences, lang);
                    theme = theme(preferences, theme);
                } catch (ApiClient.ApiError e) {
                    // not signed in after all: the visitor's language
                }
            }
            error(request, response, 404, lang, theme);
            return;
        }
        try {
            Page page = page(request, response, route, match, lang, theme);
            if (page == null) {
                return; // sent to a login page, or 404 for a non-admin
            }
            send(page, route.handler().handle(page));
        } catch (ApiClient.ApiError e) {
            if (e.status == 401) {
                redirect(request, response, loginFor(route.area(), path));
            } else if (e.status == 404 || e.status == 403) {
                error(request, response, 404, lang, theme);
            } else if (e.status == 503) {
                error(request, response, 503, lang, theme);
            } else {
                failure(request, response, e, lang, theme);
            }
        } catch (Exception e) {
            failure(request, response, e, lang, theme);
        }
    }

    private Page page(HttpServletRequest request, HttpServletResponse response, Route route, Matcher match,
            Language anonymousLang, String anonymousTheme) throws IOException {
        String cookieName = route.area() == Route.Area.CUSTOMER ? SessionCookies.CUSTOMER_COOKIE
                : SessionCookies.AGENT_COOKIE;
        String token = cookie(request, cookieName);
        String cookieHeader = token == null ? null : cookieName + "=" + token;
        String queryToken = token == null && route.queryToken() ? request.getParameter("token") : null;
        if (queryToken != null && (queryToken.isEmpty() || queryToken.length() > 512
                || !queryToken.matches("[A-Za-z0-9_-]+"))) {
            queryToken = null;
        }
        ApiClient api = new ApiClient(http, apiBase(request), cookieHeader, queryToken, anonymousLang.code());
        if (route.area() == Route.Area.PUBLIC) {
            return new Page(this, request, response, route.area(), match, api, anonymousLang, anonymousTheme, null, null,
                    null, false, messages);
        }
        String path = request.getRequestURI();
        if (token == null && queryToken == null) {
            redirect(request, response, loginFor(route.area(), path));
            return null;
        }
        JsonNode me;
        JsonNode preferences;
        try {
            me = api.get("/api/v1/users/me");
            preferences = api.get("/api/v1/users/me/preferences");
        } catch (ApiClient.ApiError e) {
            if (e.status == 401) {
                redirect(request, response, loginFor(route.area(), path));
                return null;
            }
            throw e;
        }
        boolean customer = "customer".equals(me.path("kind").asText());
        if (customer != (route.area() == Route.Area.CUSTOMER)) {
            redirect(request, response, loginFor(route.area(), path));
            return null;
        }
        if (route.area() == Route.Area.ADMIN && !me.path("admin").asBoolean(false)) {
            error(request, response, 404, anonymousLang, anonymousTheme);
            return null;
        }
        boolean demo = preferences.path("demo_mode").asBoolean(false);
        Language lang = language(preferences, anonymousLang);
        String theme = theme(preferences, anonymousTheme);
        ApiClient localised = new ApiClient(http, apiBase(request), cookieHeader, queryToken, lang.code());
        return new Page(this, request, response, route.area(), match, localised, lang, theme, me, preferences,
                organisations(api), demo, messages);
    }

    /**
     * The organisations the account may act in, for the org switcher; none while the organisations area is away
     * (the pages still work, in the organisation the session already acts in).
     */
    private static JsonNode organisations(ApiClient api) {
        try {
            return api.get("/api/v1/session/orgs");
        } catch (ApiClient.ApiError e) {
            return ApiClient.JSON.createArrayNode();
        }
    }

    /**
     * The account's language, else the visitor's. Demo accounts keep their choices in session cookies;
     * everyone else in the database (so on every instance).
     */
    private static Language language(JsonNode preferences, Language visitor) {
        return preferences.path("demo_mode").asBoolean(false) ? visitor
                : Language.of(preferences.path("language").asText(null)).orElse(visitor);
    }

    private static String theme(JsonNode preferences, String visitor) {
        String wanted = preferences.path("theme").asText("");
        return preferences.path("demo_mode").asBoolean(false) || !("dark".equals(wanted) || "light".equals(wanted))
                ? visitor : wanted;
    }

    private void send(Page page, Result result) throws IOException {
        HttpServletResponse response = page.response;
        if (result instanceof Result.View view) {
            response.setStatus(view.status());
            response.setContentType("text/html;charset=UTF-8");
            response.setHeader("Cache-Control", "no-store");
            if ("HEAD".equals(page.request.getMethod())) {
                return;
            }
            // Rendered in full before anything is sent: a failing template gives the 500 page, not half a page.
            String html = templates.render(view.template(), view.model(), page.lang);
            response.getWriter().write(html);
        } else if (result instanceof Result.Redirect redirect) {
            redirect(page.request, response, redirect.location());
        } else if (result instanceof Result.Status status) {
            error(page.request, response, status.status(), page.lang, page.theme);
        } else if (result instanceof Result.Events events) {
            streams.open(page.request, response, events);
        }
    }

    void redirect(HttpServletRequest request, HttpServletResponse response, String location) throws IOException {
        if ("true".equals(request.getHeader("HX-Request"))) {
            response.setHeader("HX-Redirect", location);
            response.setStatus(204);
        } else {
            response.setStatus(303);
            response.setHeader("Location", location);
        }
    }

    private void error(HttpServletRequest request, HttpServletResponse response, int status, Language lang,
            String theme) throws IOException {
        error(request, response, status, lang, theme, null);
    }

    private void error(HttpServletRequest request, HttpServletResponse response, int status, Language lang,
            String theme, String reference) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Map<String, Object> model = new java.util.HashMap<>();
        model.put("lang", lang);
        model.put("languages", Language.ALL);
        model.put("theme", theme);
        model.put("status", status);
        model.put("reference", reference);
        model.put("path", request.getRequestURI());
        model.put("area", request.getRequestURI().startsWith("/customer") ? "customer" : "public");
        response.getWriter().write(templates.render("error", model, lang));
    }

    private void failure(HttpServletRequest request, HttpServletResponse response, Exception e, Language lang,
            String theme) throws IOException {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Console page {} {} failed (reference {})", request.getMethod(), request.getRequestURI(),
                reference, e);
        error(request, response, 500, lang, theme, reference);
    }

    static String loginFor(Route.Area area, String next) {
        String login = area == Route.Area.CUSTOMER ? "/customer/login" : "/login";
        return next == null || next.isEmpty() || next.equals("/") ? login
                : login + "?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8);
    }

    /** The API of this very instance, on the interface the request came in on. */
    private static URI apiBase(HttpServletRequest request) {
        String address = request.getLocalAddr();
        if (address == null || address.isEmpty() || "0.0.0.0".equals(address)) {
            address = "127.0.0.1";
        } else if (address.contains(":")) {
            // IPv6 (a browser reaching http://localhost may use ::1); Jetty may already give it in brackets
            address = "[" + address.replaceAll("^\\[|\\]$", "").replaceAll("%.*$", "") + "]";
        }
        return URI.create("http://" + address + ":" + request.getLocalPort() + "/");
    }

    static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isEmpty()
                    && cookie.getValue().length() <= 512) {
                return cookie.getValue();
            }
        }
        return null;
    }

    static Language anonymousLanguage(HttpServletRequest request) {
        return Language.of(cookie(request, LANG_COOKIE))
                .orElseGet(() -> Language.fromAcceptLanguage(request.getHeader("Accept-Language")));
    }

    /** Language and theme for visitors and demo accounts: session cookies under the API's cookie policy. */
    void preferenceCookie(HttpServletResponse response, String name, String value) {
        response.addHeader("Set-Cookie", cookies.sessionOnly(name, value));
    }

    SessionCookies cookies() {
        return cookies;
    }
}
