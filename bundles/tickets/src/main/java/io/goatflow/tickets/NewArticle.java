package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An article to add: {@code channel} is note (internal by default), phone or email; {@code content_type}
 * text/plain (default) or text/html (sanitised). Attachments come inline, base64-encoded, so the article and its
 * files are written in one transaction.
 */
public record NewArticle(String channel,
        String subject,
        String body,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("visible_for_customer") Boolean visibleForCustomer,
        String from, String to, String cc,
        List<NewAttachment> attachments) {
}
