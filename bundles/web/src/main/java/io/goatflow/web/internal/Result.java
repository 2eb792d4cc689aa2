package io.goatflow.web.internal;

import java.time.Duration;
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

    /**
     * Server-sent events: the request stays open and {@code source} is polled every {@code every} until the client
     * goes away or {@code lifetime} has passed (the browser's EventSource then reconnects, with a fresh session
     * check).
     */
    record Events(Duration every, Duration lifetime, EventSource source) implements Result {
    }

    /** What an event stream sends. Polled from one thread at a time. */
    interface EventSource {
        /** The next event in SSE wire format ({@code event:}/{@code data:} lines), or null when nothing changed. */
        String poll() throws Exception;

        /** The stream has ended, for whatever reason; called once. */
        void close();
    }
}
