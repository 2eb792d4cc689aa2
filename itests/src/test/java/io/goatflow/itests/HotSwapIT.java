package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The property every area inherits: while clients keep calling, one core bundle (sysconfig) is updated or
 * restarted through the OSGi API. Its endpoint answers 503 with Retry-After meanwhile (never 500, never a hang),
 * 200 afterwards; other bundles' endpoints never fail; no acknowledged write is lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends GoatFlowTestSupport {
    private static final String SETTING = "/api/v1/admin/sysconfig/SessionMaxTime";

    /** Loops on the swapped area (writes and reads) and on other areas, recording every answer. */
    private final class Traffic implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final Map<Integer, AtomicInteger> swappedStatuses = new ConcurrentHashMap<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final AtomicLong lastAcknowledged = new AtomicLong(-1);
        final AtomicLong otherCalls = new AtomicLong();
        final AtomicInteger retryAfterMissing = new AtomicInteger();
        final List<Thread> threads;

        Traffic(String token) {
            Thread writer = new Thread(() -> {
                long value = 60_000;
                while (running.get()) {
                    value++;
                    HttpResponse<String> r = put(SETTING, token, "{\"value\":" + value + "}");
                    record(r, "PUT");
                    if (r != null && r.statusCode() == 200) {
                        lastAcknowledged.set(value);
                    }
                    record(get(SETTING, token), "GET");
                }
            }, "swapped-area-client");
            Thread other = new Thread(() -> {
                while (running.get()) {
                    for (String path : List.of("/api/v1/version", "/health")) {
                        HttpResponse<String> r = get(path);
                        otherCalls.incrementAndGet();
                        if (r == null || r.statusCode() != 200) {
                            problems.add(path + " answered " + (r == null ? "nothing" : r.statusCode() + " " + r.body()));
                        }
                    }
                    HttpResponse<String> login = post("/api/v1/auth/logout", null, "{}");
                    if (login == null || login.statusCode() != 401) {
                        problems.add("auth area answered " + (login == null ? "nothing" : login.statusCode()));
                    }
                }
            }, "other-areas-client");
            threads = List.of(writer, other);
            threads.forEach(Thread::start);
        }

        void record(HttpResponse<String> r, String what) {
            if (r == null) {
                problems.add(what + " on the swapped area got no answer within 10 s");
                return;
            }
            swappedStatuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() == 503) {
                if (r.headers().firstValue("Retry-After").isEmpty()) {
                    retryAfterMissing.incrementAndGet();
                }
                if (!r.body().contains("\"success\":false")) {
                    problems.add("503 without the error envelope: " + r.body());
                }
            } else if (r.statusCode() != 200) {
                problems.add(what + " on the swapped area answered " + r.statusCode() + " " + r.body());
            }
        }

        int count(int status) {
            AtomicInteger n = swappedStatuses.get(status);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    @Test
    public void stoppedAreaAnswers503WithRetryAfterAndComesBack() throws Exception {
        String token = adminToken();
        Bundle sysconfig = bundle("io.goatflow.sysconfig");
        try (Traffic traffic = new Traffic(token)) {
            awaitStatus(traffic, 200, 5);
            sysconfig.stop();
            awaitStatus(traffic, 503, 5);
            sysconfig.start();
            int before = traffic.count(200);
            awaitCount(traffic, 200, before + 5);
            traffic.close();
            assertClean(traffic);
        }
        assertEquals(Bundle.ACTIVE, sysconfig.getState());
    }

    @Test
    public void bundleUpdateUnderLoadLosesNothing() throws Exception {
        String token = adminToken();
        Bundle sysconfig = bundle("io.goatflow.sysconfig");
        try (Traffic traffic = new Traffic(token)) {
            awaitStatus(traffic, 200, 5);
            for (int round = 0; round < 3; round++) {
                sysconfig.update();
                int before = traffic.count(200);
                awaitCount(traffic, 200, before + 5);
            }
            traffic.close();
            assertClean(traffic);
            long acknowledged = traffic.lastAcknowledged.get();
            assertTrue("some writes were acknowledged", acknowledged > 60_000);
            HttpResponse<String> stored = get(SETTING, token);
            assertEquals(stored.body(), acknowledged, json(stored).path("data").path("value").asLong());
        }
    }

    private void assertClean(Traffic traffic) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        traffic.swappedStatuses.forEach((k, v) -> statuses.put(k, v.get()));
        assertTrue("problems: " + traffic.problems + " statuses " + statuses, traffic.problems.isEmpty());
        assertEquals("503 without Retry-After", 0, traffic.retryAfterMissing.get());
        assertTrue("other areas were called", traffic.otherCalls.get() > 10);
    }

    private static void awaitStatus(Traffic traffic, int status, int times) throws InterruptedException {
        awaitCount(traffic, status, traffic.count(status) + times);
    }

    private static void awaitCount(Traffic traffic, int status, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (traffic.count(status) < count) {
            if (System.currentTimeMillis() > deadline) {
                fail("never saw " + count + " x " + status + "; problems " + traffic.problems);
            }
            Thread.sleep(20);
        }
    }
}
