package io.goatflow.customfields.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.customfields.EntityAccess;
import io.goatflow.persistence.Database;
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
    private final Database database;

    @Activate
    public TicketFieldAccess(@Reference TicketService tickets, @Reference Database database) {
        this.tickets = tickets;
        this.database = database;
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

    @Override
    public Set<Long> inOrganisation(long orgId, Collection<Long> ids) {
        return OrganisationFilter.of(database, "SELECT id FROM ticket WHERE org_id = ? AND id IN (", orgId, ids);
    }
}
