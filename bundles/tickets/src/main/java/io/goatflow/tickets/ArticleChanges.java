package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Corrections to an article; null fields stay as they are. */
public record ArticleChanges(String subject, String body,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("visible_for_customer") Boolean visibleForCustomer) {
}
