package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A ticket as callers see it; names are resolved so that a client needs no lookups to show it. */
public record Ticket(long id,
        @JsonProperty("ticket_number") String ticketNumber,
        String title,
        @JsonProperty("queue_id") long queueId, String queue,
        @JsonProperty("state_id") long stateId, String state,
        @JsonProperty("state_type") String stateType,
        @JsonProperty("priority_id") long priorityId, String priority,
        @JsonProperty("type_id") Long typeId, String type,
        String lock,
        @JsonProperty("owner_id") long ownerId, String owner,
        @JsonProperty("responsible_id") long responsibleId, String responsible,
        @JsonProperty("customer_user_id") String customerUserId,
        @JsonProperty("customer_id") String customerId,
        @JsonProperty("pending_until") Instant pendingUntil,
        boolean archived,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("created_by") long createdBy,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("updated_by") long updatedBy) {
}
