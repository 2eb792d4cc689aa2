package io.goatflow.tickets;

import java.util.List;
import java.util.Map;

/**
 * Filters and paging of a ticket list. {@code status} is {@code open} (not closed, removed or merged), {@code
 * closed}, {@code pending}, or a state name; {@code search} matches words of titles and articles (the last word
 * also as a prefix). {@code sort} is one of created, updated, priority, title, ticket_number, state, queue.
 * {@code extensionFilters} are parameters with a dotted name ({@code cf.priority_score.gte}) that a
 * {@link TicketListFilter} answers; a parameter no running provider answers is refused.
 */
public record TicketQuery(String status, Long queueId, Long priorityId, Long stateId, Long typeId,
        String customerUserId, String customerId, Long assignedUserId, String search, String sort,
        boolean ascending, boolean includeArchived, int page, int perPage,
        Map<String, List<String>> extensionFilters) {
    public TicketQuery {
        extensionFilters = extensionFilters == null ? Map.of() : Map.copyOf(extensionFilters);
    }

    /** A query without extension filters. */
    public TicketQuery(String status, Long queueId, Long priorityId, Long stateId, Long typeId,
            String customerUserId, String customerId, Long assignedUserId, String search, String sort,
            boolean ascending, boolean includeArchived, int page, int perPage) {
        this(status, queueId, priorityId, stateId, typeId, customerUserId, customerId, assignedUserId, search, sort,
                ascending, includeArchived, page, perPage, Map.of());
    }
}
