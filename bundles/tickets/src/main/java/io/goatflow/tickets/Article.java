package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** An article of a ticket; {@code body} is sanitised HTML when {@code content_type} is text/html. */
public record Article(long id,
        @JsonProperty("ticket_id") long ticketId,
        String channel,
        @JsonProperty("sender_type") String senderType,
        @JsonProperty("visible_for_customer") boolean visibleForCustomer,
        String from, String to, String cc, String subject,
        @JsonProperty("content_type") String contentType,
        String body,
        List<Attachment> attachments,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("created_by") long createdBy,
        @JsonProperty("updated_at") Instant updatedAt) {
}
