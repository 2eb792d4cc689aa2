package io.goatflow.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * "Who else is viewing this ticket": an SSE stream per open ticket page. Each tick tells the API that the agent is
 * still here and sends the other viewers when they changed. The API keeps presence in the database, so agents on
 * other instances appear within one tick; closing the page ends the stream and the agent's presence.
 */
final class TicketPresence {
    static final Duration TICK = Duration.ofSeconds(5);
    /** The browser reconnects after this, which checks the session again. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private TicketPresence() {
    }

    static List<Route> routes() {
        return List.of(Route.eventStream("/agent/tickets/{id}/presence", Route.Area.AGENT,
                TicketPresence::stream));
    }

    private static Result stream(Page page) {
        String path = "/api/v1/tickets/" + page.id(1) + "/presence";
        ApiClient api = page.api;
        long me = page.myId();
        api.put(path, null); // a ticket the agent may not see is a 404 before any stream starts
        return new Result.Events(TICK, LIFETIME, new Result.EventSource() {
            private String sent;

            @Override
            public String poll() throws JsonProcessingException {
                String others = others(api.put(path, null), me);
                if (others.equals(sent)) {
                    return null;
                }
                sent = others;
                return "event: viewers\ndata: " + others + "\n\n";
            }

            @Override
            public void close() {
                try {
                    api.delete(path);
                } catch (RuntimeException e) {
                    // gone anyway once the presence window passes
                }
            }
        });
    }

    /** The names of the viewers other than the agent, as a JSON array (on one line, as SSE data must be). */
    static String others(JsonNode viewers, long me) throws JsonProcessingException {
        List<String> names = new ArrayList<>();
        for (JsonNode viewer : viewers) {
            if (viewer.path("user_id").asLong() != me) {
                names.add(viewer.path("name").asText());
            }
        }
        return ApiClient.JSON.writeValueAsString(names);
    }
}
