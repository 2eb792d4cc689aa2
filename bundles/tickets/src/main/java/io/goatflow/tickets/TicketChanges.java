package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Changes to a ticket; null fields stay as they are. Each change needs its own permission on the ticket's queue:
 * move_into (queue), owner (owner, responsible), priority (priority), rw (everything else).
 */
public record TicketChanges(String title,
        @JsonProperty("queue_id") Long queueId,
        @JsonProperty("state_id") Long stateId,
        @JsonProperty("priority_id") Long priorityId,
        @JsonProperty("type_id") Long typeId,
        @JsonProperty("owner_id") Long ownerId,
        @JsonProperty("responsible_id") Long responsibleId,
        @JsonProperty("customer_user_id") String customerUserId,
        @JsonProperty("customer_id") String customerId,
        @JsonProperty("pending_until") Instant pendingUntil,
        String lock) {
}
