package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The profile page of agents and customers: language, theme, password, and sign-in security (TOTP second factor,
 * recovery codes, passkeys and security keys, personal access tokens).
 */
final class Profile {
    private Profile() {
    }

    /**
     * The profile page. Agents see and edit their own agent fields; customers see the customer-visible fields of
     * their contact, read only.
     */
    static Result show(Page page, String kind) {
        return view(page, kind, 200);
    }

    /** The profile page with its security section, plus what one step of it answered ({@code extra}). */
    private static Result view(Page page, String kind, int status, Object... extra) {
        String entityType = "customer".equals(kind) ? "contact" : "agent";
        // (values may be null: Arrays.asList, not List.of)
        java.util.List<Object> model = new java.util.ArrayList<>(java.util.Arrays.asList("kind", kind,
                "fields", CustomFieldPages.fields(page, entityType, page.myId()),
                "fields_error", CustomFieldPages.fieldsError(page, entityType, page.myId()),
                "two_factor", page.api.get("/api/v1/users/me/two-factor"),
                "webauthn_keys", page.api.get("/api/v1/users/me/webauthn"),
                "tokens", page.api.get("/api/v1/tokens"),
                "token_scopes", page.api.get("/api/v1/tokens/scopes")));
        model.addAll(java.util.Arrays.asList(extra));
        return new Result.View(kind + "/profile", page.model(model.toArray()), status);
    }

    private static String base(Page page) {
        return page.area == Route.Area.CUSTOMER ? "/customer/profile" : "/agent/profile";
    }

    private static String kind(Page page) {
        return page.area == Route.Area.CUSTOMER ? "customer" : "agent";
    }

    /** Starts setting up TOTP: the page shows the QR code and the key, and asks for a first code. */
    static Result twoFactorSetup(Page page) {
        try {
            return view(page, kind(page), 200, "enrolment", page.api.post("/api/v1/users/me/two-factor/totp", map()));
        } catch (ApiClient.ApiError e) {
            return refused(page, e, "security_error");
        }
    }

    /** Confirms the key with a first code; the recovery codes are shown this once. */
    static Result twoFactorConfirm(Page page) {
        try {
            JsonNode done = page.api.post("/api/v1/users/me/two-factor/totp/confirm", map("code", page.param("code")));
            return view(page, kind(page), 200, "recovery_codes", done.path("recovery_codes"));
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            // the app already holds the key: ask again for a code of the same key (no QR code this time)
            String secret = page.param("secret");
            Object enrolment = secret != null && secret.matches("[A-Z2-7]{16,64}") ? map("secret", secret) : null;
            return view(page, kind(page), 422, "enrolment", enrolment, "security_error", message(page, e));
        }
    }

    static Result twoFactorDisable(Page page) {
        try {
            page.api.post("/api/v1/users/me/two-factor/totp/disable", map("code", page.param("code")));
            return new Result.Redirect(base(page) + "?notice=two_factor_off");
        } catch (ApiClient.ApiError e) {
            return refused(page, e, "security_error");
        }
    }

    static Result recoveryCodes(Page page) {
        try {
            JsonNode done = page.api.post("/api/v1/users/me/two-factor/recovery-codes", map("code", page.param("code")));
            return view(page, kind(page), 200, "recovery_codes", done.path("recovery_codes"));
        } catch (ApiClient.ApiError e) {
            return refused(page, e, "security_error");
        }
    }

    /** Creates an access token; the page shows it this once. */
    static Result createToken(Page page) {
        String days = page.param("expires_in_days");
        try {
            JsonNode created = page.api.post("/api/v1/tokens", map("name", page.param("name"),
                    "scopes", page.params("scopes"),
                    "expires_in_days", days == null || days.isBlank() ? null : parseDays(days)));
            return view(page, kind(page), 201, "new_token", created.path("token").asText());
        } catch (ApiClient.ApiError e) {
            return refused(page, e, "token_error");
        }
    }

    static Result revokeToken(Page page) {
        page.api.delete("/api/v1/tokens/" + page.id(1));
        return new Result.Redirect(base(page) + "?notice=token_revoked");
    }

    /** Removes one of one's own passkeys or security keys. */
    static Result removeKey(Page page) {
        page.api.delete("/api/v1/users/me/webauthn/" + page.id(1));
        return new Result.Redirect(base(page) + "?notice=key_removed");
    }

    private static Integer parseDays(String days) {
        try {
            return Integer.valueOf(days);
        } catch (NumberFormatException e) {
            return -1; // the API names the field and its range
        }
    }

    private static Result refused(Page page, ApiClient.ApiError e, String slot) {
        if (e.status >= 500) {
            throw e;
        }
        return view(page, kind(page), e.status == 429 ? 429 : 422, slot, message(page, e));
    }

    private static String message(Page page, ApiClient.ApiError e) {
        return switch (e.code) {
            case "INVALID_CODE" -> page.t("security.error.code");
            case "TOO_MANY_ATTEMPTS" -> page.t("login.error.throttled");
            case "DEMO_MODE" -> page.t("profile.demo_blocked");
            default -> e.getMessage();
        };
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
            return view(page, kind, 422, "error_key", "profile.password.mismatch");
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
            return view(page, kind, e.status == 403 ? 403 : 422, "error_key", key, "error", key == null ? e.getMessage() : null);
        }
        // Every session ended with the change: log in again with the new password.
        return new Result.Redirect(("customer".equals(kind) ? "/customer/login" : "/login") + "?notice=password_changed");
    }
}
