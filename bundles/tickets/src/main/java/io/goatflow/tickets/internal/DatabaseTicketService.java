package io.goatflow.tickets.internal;

import io.goatflow.persistence.Jdbc;
import io.goatflow.auth.Permissions;
import io.goatflow.events.DomainEvents;
import io.goatflow.persistence.DataAccessException;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.DatabaseKind;
import io.goatflow.persistence.SchemaReady;
import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.tickets.Article;
import io.goatflow.tickets.ArticleChanges;
import io.goatflow.tickets.Attachment;
import io.goatflow.tickets.AttachmentContent;
import io.goatflow.tickets.HistoryEntry;
import io.goatflow.tickets.NewArticle;
import io.goatflow.tickets.NewAttachment;
import io.goatflow.tickets.NewTicket;
import io.goatflow.tickets.Ticket;
import io.goatflow.tickets.TicketChanges;
import io.goatflow.tickets.TicketPage;
import io.goatflow.tickets.TicketListFilter;
import io.goatflow.tickets.TicketQuery;
import io.goatflow.tickets.TicketService;
import io.goatflow.tickets.TicketViewer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tickets in the OTRS tables through JDBC: the list is one SQL query with the caller's permissions, filters and
 * the word index in its WHERE clause, which is what SQL is for. Every write runs in one transaction that also
 * writes the history; events are published after the commit.
 */
@Component(service = TicketService.class)
public final class DatabaseTicketService implements TicketService {
    static final int SYSTEM_USER = 1;
    private static final int TITLE_MAX = 255;
    private static final int CUSTOMER_MAX = 150;
    private static final int SUBJECT_MAX = 3800;
    private static final int SEARCH_TERMS_MAX = 10;

    private final Database database;
    private final Permissions permissions;
    private final ArticleStore articles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigGet config;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DomainEvents events;

    /** List filters of other areas, by parameter prefix (whiteboard). */
    private final Map<String, TicketListFilter> listFilters = new java.util.concurrent.ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + TicketListFilter.PREFIX + "=*)")
    void addListFilter(TicketListFilter filter, Map<String, Object> properties) {
        listFilters.put(String.valueOf(properties.get(TicketListFilter.PREFIX)), filter);
    }

    void removeListFilter(TicketListFilter filter, Map<String, Object> properties) {
        listFilters.remove(String.valueOf(properties.get(TicketListFilter.PREFIX)), filter);
    }

    @Activate
    public DatabaseTicketService(@Reference Database database, @Reference Permissions permissions,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.tickets)") SchemaReady schema) {
        this.database = database;
        this.permissions = permissions;
        this.articles = new ArticleStore();
    }

    TicketSettings settings() {
        return TicketSettings.from(config);
    }

    /**
     * The caller's permissions, read before any transaction of the request opens. Settings are read too for
     * customers (their visibility depends on one) and when the request writes articles or files.
     */
    Access access(Caller caller, boolean withSettings) {
        TicketSettings settings = withSettings || caller.isCustomer() ? settings() : null;
        return new Access(caller, settings, caller.isAgent() ? permissions.groupsByPermission(caller.id()) : Map.of());
    }

    Access access(Caller caller) {
        return access(caller, false);
    }

    /** Owner permissions of agents a request wants to assign, read before the transaction. */
    private Map<Long, Set<Long>> ownerGroups(Long... agentIds) {
        Map<Long, Set<Long>> result = new HashMap<>();
        for (Long id : agentIds) {
            if (id != null && !result.containsKey(id)) {
                result.put(id, permissions.groupsWith(id, Permissions.OWNER));
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- reading

    /**
     * The list runs in three steps on the ticket table alone, so that its indexes serve the filter and the order:
     * the caller's queues and the status are first resolved to id lists, then one query counts and one pages
     * through ticket ids (search words joined as derived tables), and only the page's rows are read with their
     * names joined.
     */
    @Override
    public TicketPage list(Caller caller, TicketQuery query) {
        String sortColumn = TicketRows.SORTS.get(query.sort() == null ? "created" : query.sort());
        if (sortColumn == null) {
            throw ApiException.validation("sort must be one of " + String.join(", ",
                    TicketRows.SORTS.keySet().stream().sorted().toList()));
        }
        List<String> words = new ArrayList<>();
        if (query.search() != null && !query.search().isBlank()) {
            words.addAll(SearchWords.of(query.search()));
            if (words.isEmpty()) {
                return new TicketPage(List.of(), 0);
            }
            words = words.subList(0, Math.min(SEARCH_TERMS_MAX, words.size()));
        }
        List<String> terms = words;
        List<TicketListFilter.IdSubquery> extensions = extensionFilters(caller, query.extensionFilters());
        Access access = access(caller);
        Set<Long> readableGroups = access.groupsWith(Permissions.RO);
        if (caller.isAgent() && readableGroups.isEmpty()) {
            return new TicketPage(List.of(), 0);
        }
        boolean companyTickets = caller.isCustomer() && access.settings.customerCompanyTickets()
                && caller.customerId() != null && !caller.customerId().isEmpty();
        return database.inTransaction(c -> {
            List<Object> params = new ArrayList<>();
            String from = " FROM ticket t";
            StringBuilder where = new StringBuilder(" WHERE t.org_id = ?");
            params.add(caller.orgId());
            String visible = caller.isCustomer() ? " AND visible_for_customer = 1" : "";
            for (int i = 0; i < terms.size(); i++) {
                // IN (subquery) rather than a join: H2 then drives from the word index instead of probing it per
                // ticket. The last word also matches as a prefix: "print" finds "printer".
                boolean prefix = i == terms.size() - 1;
                where.append(" AND t.id IN (SELECT ticket_id FROM gk_ticket_search_word WHERE ")
                        .append(prefix ? "word >= ? AND word < ?" : "word = ?").append(visible).append(")");
                params.add(terms.get(i));
                if (prefix) {
                    params.add(prefixEnd(terms.get(i)));
                }
            }
            for (TicketListFilter.IdSubquery extension : extensions) {
                where.append(" AND t.id IN (").append(extension.sql()).append(")");
                params.addAll(extension.parameters());
            }
            if (caller.isCustomer()) {
                where.append(companyTickets ? " AND (t.customer_user_id = ? OR t.customer_id = ?)"
                        : " AND t.customer_user_id = ?");
                params.add(caller.login());
                if (companyTickets) {
                    params.add(caller.customerId());
                }
                filter(where, params, "t.queue_id", query.queueId());
            } else {
                List<Long> queues = ids(c, "SELECT id FROM queue WHERE group_id IN (" + marks(readableGroups.size())
                        + ")", new ArrayList<>(readableGroups));
                if (query.queueId() != null) {
                    queues = queues.contains(query.queueId()) ? List.of(query.queueId()) : List.of();
                }
                if (queues.isEmpty()) {
                    return new TicketPage(List.of(), 0);
                }
                // an agent who may read every queue needs no queue filter, and the list can run on indexes alone
                boolean everyQueue = query.queueId() == null
                        && queues.size() == ids(c, "SELECT COUNT(*) FROM queue", List.of()).get(0);
                if (!everyQueue) {
                    in(where, params, "t.queue_id", queues);
                }
            }
            if (!query.includeArchived()) {
                where.append(" AND t.archive_flag = 0");
            }
            if (query.status() != null && !query.status().isBlank()) {
                List<Long> states = statesFor(c, query.status().trim().toLowerCase(Locale.ROOT));
                if (states.isEmpty()) {
                    return new TicketPage(List.of(), 0);
                }
                in(where, params, "t.ticket_state_id", states);
            }
            filter(where, params, "t.ticket_priority_id", query.priorityId());
            filter(where, params, "t.ticket_state_id", query.stateId());
            filter(where, params, "t.type_id", query.typeId());
            filter(where, params, "t.user_id", query.assignedUserId());
            if (query.customerUserId() != null && !query.customerUserId().isBlank()) {
                where.append(" AND t.customer_user_id = ?");
                params.add(query.customerUserId().trim());
            }
            if (query.customerId() != null && !query.customerId().isBlank()) {
                where.append(" AND t.customer_id = ?");
                params.add(query.customerId().trim());
            }
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*)" + from + where)) {
                Jdbc.bind(count, params);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            long offset = (long) (query.page() - 1) * query.perPage();
            if (total == 0 || offset >= total) {
                return new TicketPage(List.of(), total);
            }
            String direction = query.ascending() ? " ASC" : " DESC";
            String sortJoin = sortColumn.startsWith("s.") ? " JOIN ticket_state s ON s.id = t.ticket_state_id"
                    : sortColumn.startsWith("q.") ? " JOIN queue q ON q.id = t.queue_id" : "";
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(query.perPage());
            pageParams.add(offset);
            // leading with the equality column lets H2 walk the (archive_flag, time) index instead of sorting
            String order = (query.includeArchived() ? "" : "t.archive_flag" + direction + ", ") + sortColumn + direction
                    + ", t.id" + direction;
            List<Long> page = ids(c, "SELECT t.id" + from + sortJoin + where + " ORDER BY " + order
                    + " LIMIT ? OFFSET ?", pageParams);
            if (page.isEmpty()) {
                // tickets changed between the count and the page (another request archived or moved them)
                return new TicketPage(List.of(), total);
            }
            Map<Long, Ticket> rows = new HashMap<>();
            for (TicketRows.Row row : TicketRows.list(c, TicketRows.SELECT + TicketRows.FROM + " WHERE t.id IN ("
                    + marks(page.size()) + ")", new ArrayList<>(page))) {
                rows.put(row.ticket().id(), row.ticket());
            }
            return new TicketPage(page.stream().map(rows::get).filter(Objects::nonNull).toList(), total);
        });
    }

    /**
     * The subqueries of the dotted parameters, each answered by the provider of its prefix. Asked before the
     * transaction opens, because providers read their own definitions.
     */
    private List<TicketListFilter.IdSubquery> extensionFilters(Caller caller, Map<String, List<String>> parameters) {
        Map<String, Map<String, List<String>>> byPrefix = new java.util.TreeMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            int dot = name.indexOf('.');
            String prefix = dot < 0 ? name : name.substring(0, dot + 1);
            if (!listFilters.containsKey(prefix) || dot == name.length() - 1) {
                throw ApiException.validation("unknown filter '" + name + "'" + (listFilters.isEmpty() ? ""
                        : " (known prefixes: " + String.join(", ", new java.util.TreeSet<>(listFilters.keySet())) + ")"));
            }
            byPrefix.computeIfAbsent(prefix, p -> new java.util.LinkedHashMap<>())
                    .put(name.substring(dot + 1), parameter.getValue());
        }
        List<TicketListFilter.IdSubquery> out = new ArrayList<>();
        byPrefix.forEach((prefix, own) -> {
            TicketListFilter provider = listFilters.get(prefix);
            if (provider == null) {
                throw new ApiException(503, "UNAVAILABLE", "The " + prefix + "* filters are not available right now");
            }
            out.add(provider.select(caller, own));
        });
        return out;
    }

    /** State ids for a status filter: open, closed, pending, new, or a state name. */
    private static List<Long> statesFor(Connection c, String status) throws SQLException {
        String types = switch (status) {
            case "open" -> "'new', 'open', 'pending reminder', 'pending auto'";
            case "closed" -> "'closed'";
            case "pending" -> "'pending reminder', 'pending auto'";
            case "new" -> "'new'";
            default -> null;
        };
        if (types == null) {
            return ids(c, "SELECT id FROM ticket_state WHERE LOWER(name) = ?", List.of(status));
        }
        return ids(c, "SELECT s.id FROM ticket_state s JOIN ticket_state_type st ON st.id = s.type_id"
                + " WHERE st.name IN (" + types + ")", List.of());
    }

    private static List<Long> ids(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            Jdbc.bind(q, params);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private static void in(StringBuilder where, List<Object> params, String column, List<Long> values) {
        where.append(" AND ").append(column).append(" IN (").append(marks(values.size())).append(")");
        params.addAll(values);
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static String prefixEnd(String prefix) {
        int last = prefix.codePointBefore(prefix.length());
        return prefix.substring(0, prefix.length() - Character.charCount(last)) + new String(Character.toChars(
                Math.min(Character.MAX_CODE_POINT, last + 1)));
    }

    private static void filter(StringBuilder where, List<Object> params, String column, Long value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    @Override
    public Optional<Ticket> get(Caller caller, long ticketId) {
        Access access = access(caller);
        return database.inTransaction(c -> visibleRow(c, access, ticketId, false).map(TicketRows.Row::ticket));
    }

    /** The ticket if the caller may see it. */
    private static Optional<TicketRows.Row> visibleRow(Connection c, Access access, long ticketId, boolean forUpdate)
            throws SQLException {
        return TicketRows.byId(c, ticketId, forUpdate).filter(access::maySee);
    }

    private static TicketRows.Row require(Connection c, Access access, long ticketId) throws SQLException {
        return visibleRow(c, access, ticketId, true).orElseThrow(() -> ApiException.notFound("Ticket"));
    }

    @Override
    public List<HistoryEntry> history(Caller caller, long ticketId) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Ticket");
        }
        Access access = access(caller);
        return database.inTransaction(c -> {
            visibleRow(c, access, ticketId, false).orElseThrow(() -> ApiException.notFound("Ticket"));
            try (PreparedStatement q = c.prepareStatement("SELECT h.id, ht.name AS type_name, h.name, h.article_id,"
                    + " h.create_time, h.create_by FROM ticket_history h JOIN ticket_history_type ht"
                    + " ON ht.id = h.history_type_id WHERE h.ticket_id = ? ORDER BY h.id")) {
                q.setLong(1, ticketId);
                List<HistoryEntry> entries = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new HistoryEntry(rs.getLong("id"), rs.getString("type_name"),
                                rs.getString("name"), Jdbc.nullableLong(rs, "article_id"),
                                Jdbc.instant(rs, "create_time"), rs.getLong("create_by")));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public List<TicketViewer> viewers(Caller caller, long ticketId, boolean here) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Ticket");
        }
        Access access = access(caller);
        Instant now = Instant.now();
        Instant since = now.minusSeconds(PRESENCE_WINDOW_SECONDS);
        return database.inTransaction(c -> {
            visibleRow(c, access, ticketId, false).orElseThrow(() -> ApiException.notFound("Ticket"));
            if (here) {
                // One atomic upsert: two tabs of one agent on two instances must not collide on the key.
                String upsert = database.kind() == DatabaseKind.POSTGRESQL
                        ? "INSERT INTO gk_ticket_presence (ticket_id, user_id, last_seen) VALUES (?, ?, ?)"
                                + " ON CONFLICT (ticket_id, user_id) DO UPDATE SET last_seen = EXCLUDED.last_seen"
                        : "MERGE INTO gk_ticket_presence (ticket_id, user_id, last_seen) KEY (ticket_id, user_id)"
                                + " VALUES (?, ?, ?)";
                Jdbc.update(c, upsert, Jdbc.params(ticketId, caller.id(), now));
                Jdbc.update(c, "DELETE FROM gk_ticket_presence WHERE last_seen < ?", Jdbc.params(since));
            }
            List<TicketViewer> viewers = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT p.user_id, u.login, u.first_name, u.last_name,"
                    + " p.last_seen FROM gk_ticket_presence p JOIN users u ON u.id = p.user_id"
                    + " WHERE p.ticket_id = ? AND p.last_seen >= ? ORDER BY u.login")) {
                Jdbc.bind(q, Jdbc.params(ticketId, since));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String name = (Objects.toString(rs.getString("first_name"), "") + " "
                                + Objects.toString(rs.getString("last_name"), "")).trim();
                        viewers.add(new TicketViewer(rs.getLong("user_id"), rs.getString("login"),
                                name.isEmpty() ? rs.getString("login") : name, Jdbc.instant(rs, "last_seen")));
                    }
                }
            }
            return viewers;
        });
    }

    @Override
    public void leave(Caller caller, long ticketId) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Ticket");
        }
        Access access = access(caller);
        database.inTransaction(c -> {
            visibleRow(c, access, ticketId, false).orElseThrow(() -> ApiException.notFound("Ticket"));
            return Jdbc.update(c, "DELETE FROM gk_ticket_presence WHERE ticket_id = ? AND user_id = ?",
                    Jdbc.params(ticketId, caller.id()));
        });
    }

    // ---------------------------------------------------------------- ticket writes

    @Override
    public Ticket create(Caller caller, NewTicket request) {
        if (request == null) {
            throw ApiException.validation("A ticket body is required");
        }
        String title = requiredText("title", request.title(), TITLE_MAX);
        NewArticle first = request.article();
        if (first == null) {
            throw ApiException.validation("article: the first article is required");
        }
        if (caller.orgId() < 0) {
            throw new ApiException(409, "ORG_NOT_ACTIVE",
                    "Your organisations are suspended or archived, so you cannot open tickets");
        }
        Access access = access(caller, true);
        TicketSettings settings = access.settings;
        Map<Long, Set<Long>> assignees = caller.isAgent() ? ownerGroups(request.ownerId(), request.responsibleId())
                : Map.of();
        String number = nextTicketNumber(settings.systemId());
        Instant now = Instant.now();
        long ticketId = database.inTransaction(c -> {
            long queueId;
            long stateId;
            long priorityId;
            Long typeId;
            long ownerId;
            long responsibleId;
            String customerUser;
            String customerId;
            int until = 0;
            long actor = caller.isAgent() ? caller.id() : SYSTEM_USER;
            if (caller.isCustomer()) {
                queueId = Lookups.queueIdByName(c, settings.customerQueue())
                        .orElseThrow(() -> new ApiException(503, "MISCONFIGURED",
                                "The queue for customer tickets (CustomerPortal::DefaultQueue) does not exist"));
                stateId = 1;
                priorityId = 3;
                typeId = 1L;
                ownerId = SYSTEM_USER;
                responsibleId = SYSTEM_USER;
                customerUser = caller.login();
                customerId = caller.customerId();
            } else {
                if (request.queueId() == null) {
                    throw ApiException.validation("queue_id is required");
                }
                Lookups.Queue queue = Lookups.queue(c, request.queueId())
                        .orElseThrow(() -> ApiException.validation("queue_id: no such queue"));
                if (!access.has(queue.groupId(), Permissions.CREATE)) {
                    // a queue the agent may not create in is reported like a missing one
                    throw ApiException.validation("queue_id: no such queue");
                }
                queueId = queue.id();
                Lookups.State state = request.stateId() == null ? Lookups.state(c, 1).orElseThrow(
                        () -> new ApiException(409, "MISCONFIGURED", "The state 'new' is disabled; send state_id"))
                        : Lookups.state(c, request.stateId())
                                .orElseThrow(() -> ApiException.validation("state_id: no such state"));
                stateId = state.id();
                until = pendingTime(state, request.pendingUntil(), 0);
                priorityId = request.priorityId() == null ? 3 : Lookups.requireValid(c, "ticket_priority",
                        request.priorityId(), "priority_id");
                typeId = request.typeId() == null ? 1L : Long.valueOf(Lookups.requireValid(c, "ticket_type",
                        request.typeId(), "type_id"));
                ownerId = request.ownerId() == null ? caller.id() : assignable(c, assignees, request.ownerId(),
                        queue.groupId(), "owner_id");
                responsibleId = request.responsibleId() == null ? ownerId
                        : assignable(c, assignees, request.responsibleId(), queue.groupId(), "responsible_id");
                customerUser = optionalText("customer_user_id", request.customerUserId(), 250);
                customerId = optionalText("customer_id", request.customerId(), CUSTOMER_MAX);
                if (customerId == null && customerUser != null) {
                    customerId = Lookups.companyOfCustomer(c, customerUser).orElse(null);
                }
            }
            long id = Jdbc.insert(c, "INSERT INTO ticket (tn, title, queue_id, ticket_lock_id, type_id, user_id,"
                    + " responsible_user_id, ticket_priority_id, ticket_state_id, customer_id, customer_user_id,"
                    + " timeout, until_time, escalation_time, escalation_update_time, escalation_response_time,"
                    + " escalation_solution_time, archive_flag, create_time, create_by, change_time, change_by, org_id)"
                    + " VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?)",
                    Jdbc.params(number, title, queueId, typeId, ownerId, responsibleId, priorityId, stateId,
                            customerId, customerUser, until, now, actor, now, actor, caller.orgId()));
            history(c, id, null, "NewTicket", "New ticket [" + number + "] created ("
                    + (caller.isCustomer() ? "customer " + caller.login() : "agent " + caller.login()) + ")", actor);
            TicketRows.Row row = TicketRows.byId(c, id, false).orElseThrow();
            articles.add(c, this, access, row, first, true);
            return id;
        });
        Ticket created = database.inTransaction(c -> TicketRows.byId(c, ticketId, false).orElseThrow().ticket());
        publish("ticket.created", created, Map.of());
        return created;
    }

    @Override
    public Ticket update(Caller caller, long ticketId, TicketChanges changes) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Ticket");
        }
        if (changes == null) {
            throw ApiException.validation("A body with the fields to change is required");
        }
        Access access = access(caller);
        Map<Long, Set<Long>> assignees = ownerGroups(changes.ownerId(), changes.responsibleId());
        List<String[]> happened = new ArrayList<>();
        Ticket[] after = new Ticket[1];
        Ticket before = database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            Ticket t = row.ticket();
            long actor = caller.id();
            Instant now = Instant.now();
            long groupId = row.groupId();
            if (changes.queueId() != null && changes.queueId() != t.queueId()) {
                access.require(groupId, Permissions.MOVE_INTO, "move its tickets");
                Lookups.Queue target = Lookups.queue(c, changes.queueId())
                        .orElseThrow(() -> ApiException.validation("queue_id: no such queue"));
                if (!access.has(target.groupId(), Permissions.MOVE_INTO)) {
                    throw ApiException.validation("queue_id: no such queue");
                }
                set(c, ticketId, "queue_id", target.id(), now, actor);
                history(c, ticketId, null, "Move", "Moved from queue '" + t.queue() + "' to '" + target.name() + "'",
                        actor);
                happened.add(new String[] {"ticket.queue_moved", t.queue(), target.name()});
                groupId = target.groupId();
            }
            if (changes.title() != null && !changes.title().equals(t.title())) {
                access.require(groupId, Permissions.RW, "change the title");
                String title = requiredText("title", changes.title(), TITLE_MAX);
                set(c, ticketId, "title", title, now, actor);
                history(c, ticketId, null, "TitleUpdate", "Title changed from '" + t.title() + "' to '" + title + "'",
                        actor);
                SearchIndex.indexTitle(c, ticketId, title);
            }
            if (changes.stateId() != null || changes.pendingUntil() != null) {
                Lookups.State state = changes.stateId() == null ? Lookups.state(c, t.stateId()).orElseThrow()
                        : Lookups.state(c, changes.stateId())
                                .orElseThrow(() -> ApiException.validation("state_id: no such state"));
                if (t.ownerId() != caller.id()) {
                    access.require(groupId, Permissions.RW, "change the state");
                }
                int until = pendingTime(state, changes.pendingUntil(),
                        t.pendingUntil() == null ? 0 : (int) t.pendingUntil().getEpochSecond());
                if (state.id() != t.stateId()) {
                    set(c, ticketId, "ticket_state_id", state.id(), now, actor);
                    history(c, ticketId, null, "StateUpdate", "State changed from '" + t.state() + "' to '"
                            + state.name() + "'", actor);
                    happened.add(new String[] {"ticket.state_changed", t.state(), state.name()});
                    if ("closed".equals(state.type())) {
                        happened.add(new String[] {"ticket.closed", t.state(), state.name()});
                    }
                }
                int previousUntil = t.pendingUntil() == null ? 0 : (int) t.pendingUntil().getEpochSecond();
                if (until != previousUntil) {
                    set(c, ticketId, "until_time", until, now, actor);
                    history(c, ticketId, null, "SetPendingTime", until == 0 ? "Pending time removed"
                            : "Pending until " + Instant.ofEpochSecond(until), actor);
                }
            }
            if (changes.priorityId() != null && changes.priorityId() != t.priorityId()) {
                access.require(groupId, Permissions.PRIORITY, "change the priority");
                long priority = Lookups.requireValid(c, "ticket_priority", changes.priorityId(), "priority_id");
                set(c, ticketId, "ticket_priority_id", priority, now, actor);
                history(c, ticketId, null, "PriorityUpdate", "Priority changed from '" + t.priority() + "' to '"
                        + Lookups.name(c, "ticket_priority", priority) + "'", actor);
                happened.add(new String[] {"ticket.priority_changed", t.priority(),
                        Lookups.name(c, "ticket_priority", priority)});
            }
            if (changes.typeId() != null && !changes.typeId().equals(t.typeId())) {
                access.require(groupId, Permissions.RW, "change the type");
                long type = Lookups.requireValid(c, "ticket_type", changes.typeId(), "type_id");
                set(c, ticketId, "type_id", type, now, actor);
                history(c, ticketId, null, "TypeUpdate", "Type changed to '" + Lookups.name(c, "ticket_type", type)
                        + "'", actor);
            }
            if (changes.ownerId() != null && changes.ownerId() != t.ownerId()) {
                access.require(groupId, Permissions.OWNER, "assign it");
                long owner = assignable(c, assignees, changes.ownerId(), groupId, "owner_id");
                set(c, ticketId, "user_id", owner, now, actor);
                history(c, ticketId, null, "OwnerUpdate", "Owner is now '" + Lookups.login(c, owner) + "'", actor);
                happened.add(new String[] {"ticket.assigned", t.owner(), Lookups.login(c, owner)});
            }
            if (changes.responsibleId() != null && changes.responsibleId() != t.responsibleId()) {
                access.require(groupId, Permissions.OWNER, "change the responsible agent");
                long responsible = assignable(c, assignees, changes.responsibleId(), groupId, "responsible_id");
                set(c, ticketId, "responsible_user_id", responsible, now, actor);
                history(c, ticketId, null, "ResponsibleUpdate", "Responsible is now '"
                        + Lookups.login(c, responsible) + "'", actor);
            }
            if (changes.customerUserId() != null || changes.customerId() != null) {
                access.require(groupId, Permissions.RW, "change the customer");
                String customerUser = changes.customerUserId() == null ? t.customerUserId()
                        : optionalText("customer_user_id", changes.customerUserId(), 250);
                // a new customer user brings their own company (or none), never the previous one's
                String customerId = changes.customerId() == null
                        ? (changes.customerUserId() == null ? t.customerId()
                                : customerUser == null ? null : Lookups.companyOfCustomer(c, customerUser).orElse(null))
                        : optionalText("customer_id", changes.customerId(), CUSTOMER_MAX);
                set(c, ticketId, "customer_user_id", customerUser, now, actor);
                set(c, ticketId, "customer_id", customerId, now, actor);
                history(c, ticketId, null, "CustomerUpdate", "Customer is now '" + customerUser + "' ("
                        + customerId + ")", actor);
            }
            if (changes.lock() != null) {
                String lock = changes.lock().trim().toLowerCase(Locale.ROOT);
                if (!lock.equals("lock") && !lock.equals("unlock")) {
                    throw ApiException.validation("lock must be 'lock' or 'unlock'");
                }
                if (!lock.equals(t.lock())) {
                    access.require(groupId, Permissions.RW, "lock it");
                    set(c, ticketId, "ticket_lock_id", lock.equals("lock") ? 2 : 1, now, actor);
                    history(c, ticketId, null, lock.equals("lock") ? "Lock" : "Unlock",
                            lock.equals("lock") ? "Ticket locked" : "Ticket unlocked", actor);
                }
            }
            // read inside the transaction: the caller may have moved it to a queue they cannot read
            after[0] = TicketRows.byId(c, ticketId, false).orElseThrow().ticket();
            return t;
        });
        for (String[] event : happened) {
            publish(event[0], after[0], Map.of("from", String.valueOf(event[1]), "to", String.valueOf(event[2])));
        }
        if (!after[0].equals(before)) {
            publish("ticket.updated", after[0], Map.of());
        }
        return after[0];
    }

    @Override
    public void archive(Caller caller, long ticketId) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Ticket");
        }
        Access access = access(caller);
        Ticket archived = database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            access.require(row.groupId(), Permissions.RW, "archive it");
            if (!row.ticket().archived()) {
                set(c, ticketId, "archive_flag", 1, Instant.now(), caller.id());
                history(c, ticketId, null, "ArchiveFlagUpdate", "Ticket archived", caller.id());
            }
            return row.ticket();
        });
        publish("ticket.archived", archived, Map.of());
    }

    @Override
    public Ticket reopen(Caller caller, long ticketId) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Ticket");
        }
        Access access = access(caller);
        Ticket after = database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            access.require(row.groupId(), Permissions.RW, "reopen it");
            Ticket t = row.ticket();
            if (!"closed".equals(row.stateType()) && !t.archived() && !"removed".equals(row.stateType())) {
                throw ApiException.conflict("NOT_CLOSED", "The ticket is not closed");
            }
            Instant now = Instant.now();
            reopenRow(c, t, row.stateType(), now, caller.id());
            return TicketRows.byId(c, ticketId, false).orElseThrow().ticket();
        });
        publish("ticket.reopened", after, Map.of());
        return after;
    }

    /** Open again (state open, not archived), with history; shared by reopen and customer follow-ups. */
    void reopenRow(Connection c, Ticket t, String stateType, Instant now, long actor) throws SQLException {
        if (t.archived()) {
            set(c, t.id(), "archive_flag", 0, now, actor);
            history(c, t.id(), null, "ArchiveFlagUpdate", "Ticket restored from the archive", actor);
        }
        if ("closed".equals(stateType) || "removed".equals(stateType) || "merged".equals(stateType)) {
            set(c, t.id(), "ticket_state_id", 4, now, actor);
            set(c, t.id(), "until_time", 0, now, actor);
            history(c, t.id(), null, "StateUpdate", "State changed from '" + t.state() + "' to 'open'", actor);
        }
    }

    // ---------------------------------------------------------------- articles

    @Override
    public Set<Long> permittedTickets(Caller caller, Collection<Long> ticketIds, String permission) {
        return permitted(caller, ticketIds, permission, "SELECT t.id, q.group_id, t.customer_user_id, t.customer_id,"
                + " t.org_id, 1 AS customer_visible FROM ticket t JOIN queue q ON q.id = t.queue_id WHERE t.id IN ");
    }

    @Override
    public Set<Long> permittedArticles(Caller caller, Collection<Long> articleIds, String permission) {
        return permitted(caller, articleIds, permission, "SELECT a.id, q.group_id, t.customer_user_id, t.customer_id,"
                + " t.org_id, a.is_visible_for_customer AS customer_visible FROM article a JOIN ticket t ON t.id = a.ticket_id"
                + " JOIN queue q ON q.id = t.queue_id WHERE a.id IN ");
    }

    /** Runs {@code select} (ending in {@code IN }) over the ids in chunks and keeps the rows the caller passes. */
    private Set<Long> permitted(Caller caller, Collection<Long> ids, String permission, String select) {
        Set<Long> result = new HashSet<>();
        if (ids.isEmpty() || (caller != null && caller.isCustomer() && permission != null
                && !Permissions.RO.equals(permission))) {
            return result;
        }
        Access access = caller == null ? null : access(caller);
        List<Long> all = new ArrayList<>(new HashSet<>(ids));
        database.inTransaction(c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String sql = select + "(" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement q = c.prepareStatement(sql)) {
                    Jdbc.bind(q, new ArrayList<Object>(chunk));
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            long groupId = rs.getLong("group_id");
                            boolean ok = access == null || (access.maySee(rs.getString("customer_user_id"),
                                    rs.getString("customer_id"), groupId, rs.getLong("org_id"))
                                    && (caller.isAgent() ? permission == null || access.has(groupId, permission)
                                            : rs.getInt("customer_visible") == 1));
                            if (ok) {
                                result.add(rs.getLong("id"));
                            }
                        }
                    }
                }
            }
            return null;
        });
        return result;
    }

    @Override
    public List<Article> articles(Caller caller, long ticketId) {
        Access access = access(caller);
        return database.inTransaction(c -> {
            visibleRow(c, access, ticketId, false).orElseThrow(() -> ApiException.notFound("Ticket"));
            return articles.list(c, ticketId, caller.isCustomer());
        });
    }

    @Override
    public Optional<Article> article(Caller caller, long ticketId, long articleId) {
        Access access = access(caller);
        return database.inTransaction(c -> {
            if (visibleRow(c, access, ticketId, false).isEmpty()) {
                return Optional.<Article>empty();
            }
            return articles.get(c, ticketId, articleId, caller.isCustomer());
        });
    }

    @Override
    public Article addArticle(Caller caller, long ticketId, NewArticle article) {
        if (article == null) {
            throw ApiException.validation("An article body is required");
        }
        Access access = access(caller, true);
        Ticket[] ticket = new Ticket[1];
        Article added = database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            long id = articles.add(c, this, access, row, article, false);
            ticket[0] = TicketRows.byId(c, ticketId, false).orElseThrow().ticket();
            return articles.get(c, ticketId, id, caller.isCustomer()).orElseThrow();
        });
        publish("article.created", ticket[0], Map.of("article_id", added.id(), "channel", added.channel()));
        return added;
    }

    @Override
    public Article updateArticle(Caller caller, long ticketId, long articleId, ArticleChanges changes) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Article");
        }
        if (changes == null) {
            throw ApiException.validation("A body with the fields to change is required");
        }
        Access access = access(caller);
        return database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            articles.get(c, ticketId, articleId, false).orElseThrow(() -> ApiException.notFound("Article"));
            access.require(row.groupId(), Permissions.RW, "change its articles");
            articles.update(c, this, caller, ticketId, articleId, changes);
            return articles.get(c, ticketId, articleId, false).orElseThrow();
        });
    }

    @Override
    public void deleteArticle(Caller caller, long ticketId, long articleId) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Article");
        }
        Access access = access(caller);
        database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            articles.get(c, ticketId, articleId, false).orElseThrow(() -> ApiException.notFound("Article"));
            access.require(row.groupId(), Permissions.RW, "delete its articles");
            articles.delete(c, ticketId, articleId);
            history(c, ticketId, articleId, "ArticleDelete", "Article " + articleId + " deleted", caller.id());
            return null;
        });
    }

    @Override
    public List<Attachment> attachments(Caller caller, long ticketId, long articleId) {
        Access access = access(caller);
        return database.inTransaction(c -> {
            visibleRow(c, access, ticketId, false).orElseThrow(() -> ApiException.notFound("Ticket"));
            articles.get(c, ticketId, articleId, caller.isCustomer())
                    .orElseThrow(() -> ApiException.notFound("Article"));
            return articles.attachments(c, articleId);
        });
    }

    @Override
    public Attachment addAttachment(Caller caller, long ticketId, long articleId, String filename,
            String contentType, byte[] content) {
        if (!caller.isAgent()) {
            throw ApiException.notFound("Article");
        }
        Access access = access(caller, true);
        TicketSettings settings = access.settings;
        return database.inTransaction(c -> {
            TicketRows.Row row = require(c, access, ticketId);
            articles.get(c, ticketId, articleId, false).orElseThrow(() -> ApiException.notFound("Article"));
            access.require(row.groupId(), Permissions.RW, "attach files");
            long id = articles.addAttachment(c, ticketId, articleId, filename, contentType, content, settings,
                    caller.id(), 0);
            history(c, ticketId, articleId, "AttachmentAdd", "Attachment '" + filename + "' added", caller.id());
            set(c, ticketId, null, null, Instant.now(), caller.id());
            return articles.attachments(c, articleId).stream().filter(a -> a.id() == id).findFirst().orElseThrow();
        });
    }

    @Override
    public Optional<AttachmentContent> attachment(Caller caller, long ticketId, long articleId, long attachmentId) {
        Access access = access(caller);
        return database.inTransaction(c -> {
            if (visibleRow(c, access, ticketId, false).isEmpty()
                    || articles.get(c, ticketId, articleId, caller.isCustomer()).isEmpty()) {
                return Optional.<AttachmentContent>empty();
            }
            return articles.content(c, articleId, attachmentId);
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Sets one column (or, with a null column, just the change time) of a ticket. */
    static void set(Connection c, long ticketId, String column, Object value, Instant now, long actor)
            throws SQLException {
        if (column == null) {
            Jdbc.update(c, "UPDATE ticket SET change_time = ?, change_by = ? WHERE id = ?",
                    Jdbc.params(now, actor, ticketId));
            return;
        }
        Jdbc.update(c, "UPDATE ticket SET " + column + " = ?, change_time = ?, change_by = ? WHERE id = ?",
                Jdbc.params(value, now, actor, ticketId));
    }

    /** A history row with the ticket's current queue, owner, priority and state, as OTRS records them. */
    static void history(Connection c, long ticketId, Long articleId, String type, String name, long actor)
            throws SQLException {
        Instant now = Instant.now();
        int inserted = Jdbc.update(c, "INSERT INTO ticket_history (name, history_type_id, ticket_id, article_id,"
                + " type_id, queue_id, owner_id, priority_id, state_id, create_time, create_by, change_time,"
                + " change_by, org_id) SELECT ?, ht.id, t.id, ?, t.type_id, t.queue_id, t.user_id,"
                + " t.ticket_priority_id, t.ticket_state_id, ?, ?, ?, ?, t.org_id FROM ticket t, ticket_history_type ht"
                + " WHERE t.id = ? AND ht.name = ?",
                Jdbc.params(name.length() > 200 ? name.substring(0, 197) + "..." : name, articleId, now, actor, now,
                        actor, ticketId, type));
        if (inserted != 1) {
            throw new IllegalStateException("History type " + type + " is missing");
        }
    }

    private static long assignable(Connection c, Map<Long, Set<Long>> ownerGroups, long userId, long groupId,
            String field) throws SQLException {
        if (!Lookups.validAgent(c, userId) || !ownerGroups.getOrDefault(userId, Set.of()).contains(groupId)) {
            throw ApiException.validation(field + ": no such agent with the 'owner' permission on this queue");
        }
        return userId;
    }

    private static int pendingTime(Lookups.State state, Instant requested, int current) {
        boolean pending = state.type().startsWith("pending");
        if (!pending) {
            if (requested != null) {
                throw ApiException.validation("pending_until: only pending states have a pending time");
            }
            return 0;
        }
        if (requested == null) {
            if (current > 0) {
                return current;
            }
            throw ApiException.validation("pending_until is required for the state '" + state.name() + "'");
        }
        long seconds = requested.getEpochSecond();
        if (seconds <= 0 || seconds > Integer.MAX_VALUE) {
            throw ApiException.validation("pending_until is out of range");
        }
        return (int) seconds;
    }

    static String requiredText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.validation(field + " is required");
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw ApiException.validation(field + " is longer than " + max + " characters");
        }
        if (trimmed.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) {
            throw ApiException.validation(field + " contains control characters");
        }
        return trimmed;
    }

    static String optionalText(String field, String value, int max) {
        return value == null || value.isBlank() ? null : requiredText(field, value, max);
    }

    static int subjectMax() {
        return SUBJECT_MAX;
    }

    /** YYYYMMDD + SystemID + a per-day counter, in its own short transaction (a failed create leaves a gap). */
    String nextTicketNumber(String systemId) {
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        for (int attempt = 0; ; attempt++) {
            try {
                long counter = database.inTransaction(c -> {
                    if (Jdbc.update(c, "UPDATE gk_ticket_number_counter SET counter = counter + 1 WHERE counter_day = ?",
                            Jdbc.params(day)) == 0) {
                        Jdbc.update(c, "INSERT INTO gk_ticket_number_counter (counter_day, counter) VALUES (?, 1)",
                                Jdbc.params(day));
                        return 1L;
                    }
                    try (PreparedStatement q = c.prepareStatement(
                            "SELECT counter FROM gk_ticket_number_counter WHERE counter_day = ?")) {
                        q.setString(1, day);
                        try (ResultSet rs = q.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
                return day + systemId + String.format(Locale.ROOT, "%06d", counter);
            } catch (DataAccessException e) {
                // another instance inserted today's first counter at the same moment: increment theirs
                if (!e.isUniqueViolation() || attempt > 2) {
                    throw e;
                }
            }
        }
    }

    private void publish(String type, Ticket ticket, Map<String, Object> extra) {
        DomainEvents current = events;
        if (current == null) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ticket_id", ticket.id());
        data.put("ticket_number", ticket.ticketNumber());
        data.put("queue_id", ticket.queueId());
        data.put("state", ticket.state());
        data.putAll(extra);
        current.publish(type, data);
    }
}
