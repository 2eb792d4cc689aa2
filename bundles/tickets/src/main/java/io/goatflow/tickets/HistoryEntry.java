package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One line of a ticket's history: what changed, who did it and when. */
public record HistoryEntry(long id, String type, String name,
        @JsonProperty("article_id") Long articleId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("created_by") long createdBy) {
}
