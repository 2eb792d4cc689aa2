package io.goatflow.tickets;

import io.goatflow.rest.Caller;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Tickets on behalf of a caller. Agents see tickets of queues whose group they hold {@code ro} in; customers see
 * their own tickets (and their company's when {@code CustomerPortal::CompanyTickets} is on) and only articles
 * visible to customers. Whatever the caller may not see is reported as absent ({@code Optional.empty()} or a 404
 * {@link io.goatflow.rest.ApiException}). Every write is one transaction and leaves a history entry.
 */
@ProviderType
public interface TicketService {

    TicketPage list(Caller caller, TicketQuery query);

    Optional<Ticket> get(Caller caller, long ticketId);

    /** Opens a ticket with its first article. */
    Ticket create(Caller caller, NewTicket ticket);

    Ticket update(Caller caller, long ticketId, TicketChanges changes);

    /** Archives the ticket: it leaves every list (unless archived tickets are asked for) but keeps its data. */
    void archive(Caller caller, long ticketId);

    /** Sets a closed (or archived) ticket back to open. */
    Ticket reopen(Caller caller, long ticketId);

    List<HistoryEntry> history(Caller caller, long ticketId);

    /**
     * The agents viewing the ticket: those whose console reported it open within the last
     * {@link #PRESENCE_WINDOW_SECONDS} seconds, on any instance (the state is in the database). With {@code here},
     * the caller is recorded as viewing it now first. Agents only; customers get a 404.
     */
    List<TicketViewer> viewers(Caller caller, long ticketId, boolean here);

    /** The caller no longer views the ticket (closing the page); nothing happens when they were not. */
    void leave(Caller caller, long ticketId);

    /** How long a viewer counts as present after their last report. */
    int PRESENCE_WINDOW_SECONDS = 30;

    /**
     * Bulk visibility for other areas (custom fields): of {@code ticketIds}, those that exist and the caller may see,
     * by the same rule as {@link #get}. With {@code permission} (a key of {@code Permissions}), agents must also
     * hold it on the ticket's queue; customers never hold any. Ids that do not exist are left out. A null caller is
     * the platform itself (plugin host calls): every id that exists.
     */
    Set<Long> permittedTickets(Caller caller, Collection<Long> ticketIds, String permission);

    /**
     * Of {@code articleIds}, those whose ticket {@link #permittedTickets passes} for the caller and permission, and,
     * for customers, that are visible to the customer.
     */
    Set<Long> permittedArticles(Caller caller, Collection<Long> articleIds, String permission);

    List<Article> articles(Caller caller, long ticketId);

    Optional<Article> article(Caller caller, long ticketId, long articleId);

    Article addArticle(Caller caller, long ticketId, NewArticle article);

    Article updateArticle(Caller caller, long ticketId, long articleId, ArticleChanges changes);

    void deleteArticle(Caller caller, long ticketId, long articleId);

    List<Attachment> attachments(Caller caller, long ticketId, long articleId);

    Attachment addAttachment(Caller caller, long ticketId, long articleId, String filename, String contentType,
            byte[] content);

    Optional<AttachmentContent> attachment(Caller caller, long ticketId, long articleId, long attachmentId);
}
