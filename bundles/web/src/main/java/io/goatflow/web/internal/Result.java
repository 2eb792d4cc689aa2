package io.goatflow.web.internal;

import java.util.Map;

/** What a page handler answers. */
sealed interface Result {

    /** A full page (or, for an HTMX request, the template's fragment) with its model. */
    record View(String template, Map<String, Object> model, int status) implements Result {
        View(String template, Map<String, Object> model) {
            this(template, model, 200);
        }
    }

    /** See other (303 after a form post; HTMX gets {@code HX-Redirect}). */
    record Redirect(String location) implements Result {
    }

    /** The friendly page for a status (404, 403, ...). */
    record Status(int status) implements Result {
    }
}
