package io.goatflow.web.internal;

import static io.goatflow.web.internal.ApiClient.map;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** An agent's saved searches, kept by the API with the other preferences (so on every instance). */
final class SavedSearches {
    private SavedSearches() {
    }

    static List<Route> routes() {
        return List.of(
                Route.of("POST", "/agent/search/saved", Route.Area.AGENT, SavedSearches::save),
                Route.of("POST", "/agent/search/saved/delete", Route.Area.AGENT, SavedSearches::delete));
    }

    static Object list(Page page) {
        try {
            return Page.plain(page.api.get("/api/v1/users/me/saved-searches"));
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            return List.of();
        }
    }

    private static Result save(Page page) {
        String q = page.param("q");
        String name = page.param("name") == null ? q : page.param("name");
        try {
            page.api.post("/api/v1/users/me/saved-searches", map("name", name, "query", q,
                    "status", page.param("status")));
            return new Result.Redirect("/agent/search?q=" + encode(q) + "&notice=search_saved");
        } catch (ApiClient.ApiError e) {
            if (e.status >= 500) {
                throw e;
            }
            return new Result.Redirect("/agent/search?q=" + encode(q) + "&notice=search_not_saved");
        }
    }

    private static Result delete(Page page) {
        String name = page.param("name");
        if (name != null) {
            page.api.delete("/api/v1/users/me/saved-searches/" + encode(name).replace("+", "%20"));
        }
        return new Result.Redirect("/agent/search?notice=search_deleted");
    }

    private static String encode(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
