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

/**
 * Article fields follow the article: readable where the article is (customers: their customer-visible articles),
 * writable by agents who may add notes in the ticket's queue.
 */
@Component(service = EntityAccess.class, property = EntityAccess.ENTITY_TYPE + "=article")
public final class ArticleFieldAccess implements EntityAccess {
    private final TicketService tickets;

    @Activate
    public ArticleFieldAccess(@Reference TicketService tickets) {
        this.tickets = tickets;
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
}
