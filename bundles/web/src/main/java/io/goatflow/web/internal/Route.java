package io.goatflow.web.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A console route: method, path pattern ({@code {id}} is a number), who may use it, and its handler.
 * {@code queryToken}: an event stream that also takes its credential from {@code ?token=}, because a browser's
 * EventSource cannot send headers; no other route does.
 */
record Route(String method, Pattern pattern, Area area, Handler handler, boolean queryToken) {

    /** Who may open a route; everyone else is sent to the right login page, or gets a 404 (admin pages). */
    enum Area { PUBLIC, AGENT, ADMIN, CUSTOMER }

    @FunctionalInterface
    interface Handler {
        Result handle(Page page) throws Exception;
    }

    static Route of(String method, String path, Area area, Handler handler) {
        String regex = path.replace("{id}", "(\\d{1,18})").replace("{name}", "([A-Za-z0-9_.-]{1,100})");
        return new Route(method, Pattern.compile(regex), area, handler, false);
    }

    /** A same-origin server-sent event stream (GET) that accepts {@code ?token=} besides the session cookie. */
    static Route eventStream(String path, Area area, Handler handler) {
        Route route = of("GET", path, area, handler);
        return new Route(route.method(), route.pattern(), area, handler, true);
    }

    Matcher match(String method, String path) {
        if (!this.method.equals(method) && !("HEAD".equals(method) && "GET".equals(this.method))) {
            return null;
        }
        Matcher m = pattern.matcher(path);
        return m.matches() ? m : null;
    }
}
