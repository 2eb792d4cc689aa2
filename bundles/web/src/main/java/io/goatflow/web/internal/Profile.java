package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;

/** The profile page of agents and customers: language, theme and password. */
final class Profile {
    private Profile() {
    }

    /**
     * The profile page. Agents see and edit their own agent fields; customers see the customer-visible fields of
     * their contact, read only.
     */
    static Result show(Page page, String kind) {
        String entityType = "customer".equals(kind) ? "contact" : "agent";
        return page.view(kind + "/profile", "kind", kind, "fields", CustomFieldPages.fields(page, entityType,
                page.myId()), "fields_error", CustomFieldPages.fieldsError(page, entityType, page.myId()));
    }

    /** Saves language and theme: for the account (every instance), or, in demo mode, in session cookies. */
    static Result preferences(Page page) {
        String base = page.area == Route.Area.CUSTOMER ? "/customer/profile" : "/agent/profile";
        String language = Language.of(page.param("language")).map(Language::code).orElse(null);
        String theme = "dark".equals(page.param("theme")) ? "dark" : "light".equals(page.param("theme")) ? "light" : null;
        if (page.demoMode) {
            ConsoleServlet console = page.console();
            if (language != null) {
                console.preferenceCookie(page.response, ConsoleServlet.LANG_COOKIE, language);
            }
            if (theme != null) {
                console.preferenceCookie(page.response, ConsoleServlet.THEME_COOKIE, theme);
            }
            return new Result.Redirect(base + "?notice=preferences_session");
        }
        page.api.put("/api/v1/users/me/preferences", map("language", language, "theme", theme));
        return new Result.Redirect(base + "?notice=preferences_saved");
    }

    static Result password(Page page, String kind) {
        String base = "customer".equals(kind) ? "/customer/profile" : "/agent/profile";
        if (page.raw("new_password") == null || !page.raw("new_password").equals(page.raw("confirm_password"))) {
            return new Result.View(kind + "/profile", page.model("kind", kind, "error_key", "profile.password.mismatch"), 422);
        }
        try {
            page.api.put("/api/v1/users/me/password", map("current_password", page.raw("current_password"),
                    "new_password", page.raw("new_password")));
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            String key = "DEMO_MODE".equals(e.code) ? "profile.demo_blocked"
                    : "WRONG_PASSWORD".equals(e.code) ? "profile.password.wrong" : null;
            return new Result.View(kind + "/profile", page.model("kind", kind, "error_key", key,
                    "error", key == null ? e.getMessage() : null), e.status == 403 ? 403 : 422);
        }
        // Every session ended with the change: log in again with the new password.
        return new Result.Redirect(("customer".equals(kind) ? "/customer/login" : "/login") + "?notice=password_changed");
    }
}
