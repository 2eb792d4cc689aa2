package io.goatflow.tickets;

import java.util.List;

/** One page of a ticket list and the number of tickets matching the filters. */
public record TicketPage(List<Ticket> tickets, long total) {
}
