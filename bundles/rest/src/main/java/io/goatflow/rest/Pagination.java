package io.goatflow.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Paging facts of a list response. */
@JsonPropertyOrder({"page", "per_page", "total", "total_pages", "has_next", "has_prev"})
public record Pagination(int page, @JsonProperty("per_page") int perPage, long total,
        @JsonProperty("total_pages") int totalPages, @JsonProperty("has_next") boolean hasNext,
        @JsonProperty("has_prev") boolean hasPrev) {

    /** Pagination for page {@code page} (1-based) of {@code perPage} items out of {@code total}. */
    public static Pagination of(int page, int perPage, long total) {
        int pages = perPage <= 0 ? 0 : (int) ((total + perPage - 1) / perPage);
        return new Pagination(page, perPage, total, pages, page < pages, page > 1);
    }
}
