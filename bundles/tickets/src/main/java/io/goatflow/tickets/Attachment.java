package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** What is known about an attachment without its content. */
public record Attachment(long id,
        @JsonProperty("article_id") long articleId,
        String filename,
        @JsonProperty("content_type") String contentType,
        long size,
        @JsonProperty("created_at") Instant createdAt) {
}
