package io.goatflow.customfields.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.customfields.EntityAccess;
import io.goatflow.rest.Caller;
import io.goatflow.tickets.TicketService;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Ticket fields follow the ticket: readable where the ticket is visible, writable with rw on its queue. */
@Component(service = EntityAccess.class, property = EntityAccess.ENTITY_TYPE + "=ticket")
public final class TicketFieldAccess implements EntityAccess {
    private final TicketService tickets;

    @Activate
    public TicketFieldAccess(@Reference TicketService tickets) {
        this.tickets = tickets;
    }

    @Override
    public Set<Long> readable(Caller caller, Collection<Long> ids) {
        return tickets.permittedTickets(caller, ids, null);
    }

    @Override
    public boolean writable(Caller caller, long id) {
        return caller != null && caller.isAgent() && tickets.permittedTickets(caller, List.of(id), Permissions.RW)
                .contains(id);
    }
}
