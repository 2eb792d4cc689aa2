package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** An agent who has a ticket open: seen by some instance within the presence window. */
public record TicketViewer(@JsonProperty("user_id") long userId, String login, String name,
        @JsonProperty("last_seen") Instant lastSeen) {
}
