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

/**
 * Article fields follow the article: readable where the article is (customers: their customer-visible articles),
 * writable by agents who may add notes in the ticket's queue.
 */
@Component(service = EntityAccess.class, property = EntityAccess.ENTITY_TYPE + "=article")
public final class ArticleFieldAccess implements EntityAccess {
    private final TicketService tickets;
    private final Database database;

    @Activate
    public ArticleFieldAccess(@Reference TicketService tickets, @Reference Database database) {
        this.tickets = tickets;
        this.database = database;
    }

    @Override
    public Set<Long> readable(Caller caller, Collection<Long> ids) {
        return tickets.permittedArticles(caller, ids, null);
    }

    @Override
    public boolean writable(Caller caller, long id) {
        return caller != null && caller.isAgent() && tickets.permittedArticles(caller, List.of(id), Permissions.NOTE)
                .contains(id);
    }

    @Override
    public Set<Long> inOrganisation(long orgId, Collection<Long> ids) {
        return OrganisationFilter.of(database, "SELECT a.id FROM article a JOIN ticket t ON t.id = a.ticket_id WHERE t.org_id = ? AND a.id IN (", orgId, ids);
    }
}
