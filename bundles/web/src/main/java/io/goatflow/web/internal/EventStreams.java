package io.goatflow.web.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's open server-sent event streams. Each is an async request polled on a small shared scheduler, so an
 * open stream holds no request thread; a comment line on quiet ticks finds clients that have gone. Streams end
 * after their lifetime (the browser reconnects) and when the console is deactivated.
 */
final class EventStreams {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    /** Open streams per instance; more get 503 and their EventSource retries later. */
    static final int MAX_OPEN = 2_000;

    private final ScheduledExecutorService scheduler;
    private final AtomicInteger open = new AtomicInteger();

    EventStreams() {
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "goatflow-console-events-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the stream, or answers 503 when too many are open. */
    void open(HttpServletRequest request, HttpServletResponse response, Result.Events events) throws IOException {
        if (open.incrementAndGet() > MAX_OPEN) {
            open.decrementAndGet();
            events.source().close();
            response.setStatus(503);
            response.setHeader("Retry-After", "30");
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Stream stream = new Stream(async, response.getWriter(), events);
        async.addListener(stream);
        stream.schedule(scheduler);
    }

    void shutdown() {
        scheduler.shutdownNow();
    }

    private final class Stream implements Runnable, AsyncListener {
        private final AsyncContext async;
        private final PrintWriter out;
        private final Result.Events events;
        private final long endAt;
        private final AtomicBoolean ended = new AtomicBoolean();
        private ScheduledFuture<?> task;

        Stream(AsyncContext async, PrintWriter out, Result.Events events) {
            this.async = async;
            this.out = out;
            this.events = events;
            this.endAt = System.nanoTime() + events.lifetime().toNanos();
        }

        void schedule(ScheduledExecutorService on) {
            Duration every = events.every();
            task = on.scheduleWithFixedDelay(this, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (ended.get()) {
                task.cancel(false); // ended before its task was known
                return;
            }
            try {
                if (System.nanoTime() - endAt > 0) {
                    end();
                    return;
                }
                String event = events.source().poll();
                out.write(event == null ? ": tick\n\n" : event);
                out.flush();
                if (out.checkError()) {
                    end(); // the client has gone
                }
            } catch (Exception e) {
                LOG.debug("Event stream ended: {}", e.toString());
                end();
            }
        }

        private void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            open.decrementAndGet();
            if (task != null) {
                task.cancel(false);
            }
            try {
                events.source().close();
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // already completed by the container
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            end();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end();
        }

        @Override
        public void onError(AsyncEvent event) {
            end();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }
}
