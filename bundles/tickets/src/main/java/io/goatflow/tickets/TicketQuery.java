package io.goatflow.tickets;

/**
 * Filters and paging of a ticket list. {@code status} is {@code open} (not closed, removed or merged), {@code
 * closed}, {@code pending}, or a state name; {@code search} matches words of titles and articles (the last word
 * also as a prefix). {@code sort} is one of created, updated, priority, title, ticket_number, state, queue.
 */
public record TicketQuery(String status, Long queueId, Long priorityId, Long stateId, Long typeId,
        String customerUserId, String customerId, Long assignedUserId, String search, String sort,
        boolean ascending, boolean includeArchived, int page, int perPage) {
}
