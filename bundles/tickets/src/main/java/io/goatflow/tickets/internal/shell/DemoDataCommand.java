package io.goatflow.tickets.internal.shell;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.Caller;
import io.goatflow.tickets.NewArticle;
import io.goatflow.tickets.NewTicket;
import io.goatflow.tickets.TicketService;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code gk:demo-data [--tickets N] [--threads T]}: fills a demo or benchmark installation with tickets in the
 * valid queues of the {@code users} group, each with a phone article, through the same {@link TicketService} as the
 * API (numbers, history and search index included), on behalf of the first administrator.
 */
@Command(scope = "gk", name = "demo-data", description = "Create demo tickets (for trying GoatFlow out and for benchmarks)")
@Service
public class DemoDataCommand implements Action {
    private static final String[] SUBJECTS = {"Printer", "Laptop", "VPN", "E-mail", "Password", "Monitor", "Phone",
        "Invoice", "Account", "Backup", "Wi-Fi", "Keyboard", "Licence", "Server", "Calendar", "Projector"};
    private static final String[] PROBLEMS = {"does not start", "is slow", "shows an error", "was stolen",
        "needs an update", "keeps disconnecting", "is missing", "makes noise", "cannot be reached", "is locked"};
    private static final String[] WORDS = {"urgent", "since", "yesterday", "morning", "office", "meeting", "customer",
        "report", "network", "screen", "cable", "restart", "tried", "again", "please", "help", "billing", "warehouse",
        "branch", "delivery", "contract", "shipment", "order", "refund", "upgrade", "install", "license", "user"};

    @Option(name = "--tickets", aliases = "-n", description = "How many tickets to create (default 100)")
    int tickets = 100;

    @Option(name = "--threads", aliases = "-t", description = "Parallel writers (default 2)")
    int threads = 2;

    @Reference
    TicketService service;

    @Reference
    Database database;

    @Override
    public Object execute() throws Exception {
        List<Map<String, Object>> admins = database.inTransaction(c -> Jdbc.rows(c, "SELECT u.id, u.login FROM users u"
                + " JOIN group_user gu ON gu.user_id = u.id JOIN groups g ON g.id = gu.group_id WHERE g.name = 'admin'"
                + " AND gu.permission_key = 'rw' AND u.valid_id = 1 ORDER BY u.id", List.of()));
        List<Map<String, Object>> queues = database.inTransaction(c -> Jdbc.rows(c, "SELECT q.id FROM queue q"
                + " JOIN groups g ON g.id = q.group_id WHERE g.name = 'users' AND q.valid_id = 1 ORDER BY q.id",
                List.of()));
        if (admins.isEmpty() || queues.isEmpty()) {
            System.err.println("Needs an administrator and a valid queue of the users group; nothing created.");
            return null;
        }
        Caller admin = new Caller(((Number) admins.get(0).get("id")).longValue(), (String) admins.get(0).get("login"),
                Caller.Kind.AGENT, true, 0);
        long[] queueIds = queues.stream().mapToLong(q -> ((Number) q.get("id")).longValue()).toArray();
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, threads)));
        try {
            List<Future<?>> work = new java.util.ArrayList<>();
            int workers = Math.max(1, Math.min(16, threads));
            for (int w = 0; w < workers; w++) {
                int share = tickets / workers + (w < tickets % workers ? 1 : 0);
                long seed = started + w;
                work.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < share && !Thread.currentThread().isInterrupted(); i++) {
                        service.create(admin, ticket(random, queueIds));
                        long n = done.incrementAndGet();
                        if (n % 10_000 == 0) {
                            System.out.println(n + " tickets ...");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Created %d tickets in %.1f s (%.0f per second)%n", done.get(), seconds,
                done.get() / Math.max(0.001, seconds));
        return null;
    }

    private static NewTicket ticket(SplittableRandom random, long[] queues) {
        String title = SUBJECTS[random.nextInt(SUBJECTS.length)] + " " + PROBLEMS[random.nextInt(PROBLEMS.length)];
        StringBuilder body = new StringBuilder(title).append('.');
        for (int i = 0; i < 30; i++) {
            body.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        long priority = 1 + random.nextInt(5);
        long state = new long[] {1, 1, 4, 4, 4, 2, 3}[random.nextInt(7)];
        String customer = "demo.customer" + random.nextInt(500);
        return new NewTicket(title, queues[random.nextInt(queues.length)], state, priority, null, null, null,
                customer, null, null, new NewArticle("phone", title, body.toString(), "text/plain", true, customer,
                        null, null, null));
    }
}
