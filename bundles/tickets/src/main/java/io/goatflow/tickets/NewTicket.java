package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A ticket to open, with its first article. For customers only {@code title} and {@code article} count: the
 * queue, state and priority come from the settings, the customer fields from the account.
 */
public record NewTicket(String title,
        @JsonProperty("queue_id") Long queueId,
        @JsonProperty("state_id") Long stateId,
        @JsonProperty("priority_id") Long priorityId,
        @JsonProperty("type_id") Long typeId,
        @JsonProperty("owner_id") Long ownerId,
        @JsonProperty("responsible_id") Long responsibleId,
        @JsonProperty("customer_user_id") String customerUserId,
        @JsonProperty("customer_id") String customerId,
        @JsonProperty("pending_until") Instant pendingUntil,
        NewArticle article) {
}
