package io.goatflow.tickets;

import io.goatflow.rest.Caller;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Narrows the ticket list by query parameters that another area owns, such as custom fields ({@code cf.<name>}).
 * Providers are found through the whiteboard: a service with {@link #PREFIX} set to its parameter prefix (ending in a
 * dot). The list hands each provider the parameters under its prefix and adds the ticket-id subquery it returns to
 * its own SQL, so filtering, counting and paging all stay in the database and the ticket permissions still apply.
 */
@ConsumerType
public interface TicketListFilter {
    /** Service property: the parameter prefix the provider answers, for example {@code cf.}. */
    String PREFIX = "goatflow.tickets.filter.prefix";

    /** A SELECT of one column of ticket ids, run in the ticket list's transaction with these parameters. */
    record IdSubquery(String sql, List<Object> parameters) {
        public IdSubquery {
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * The tickets that match every parameter, by name without the prefix. Refuses what it cannot use with a
     * 422 {@link io.goatflow.rest.ApiException} naming the parameter, so no filter is silently dropped.
     */
    IdSubquery select(Caller caller, Map<String, List<String>> parameters);
}
