package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeTrue;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * PostgreSQL goes away and comes back while GoatFlow keeps running: /health says 503 quickly (never hangs), API
 * calls that need the database get a 503 envelope, and both recover without restarting Karaf.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DatabaseOutagePostgresIT extends GoatFlowTestSupport {

    @Test
    public void healthFollowsTheDatabaseWithoutARestart() throws Exception {
        String ctl = System.getProperty("goatflow.itest.pg.ctl", "");
        assumeTrue("needs the throwaway PostgreSQL of ./goatflow test", onPostgres() && !ctl.isEmpty());
        String token = adminToken();
        try {
            pg(ctl, "stop");
            HttpResponse<String> down = awaitHealth(503);
            assertError(down, 503, "DATABASE_UNAVAILABLE");
            assertFalse(down.body(), down.body().contains("127.0.0.1"));
            assertEquals("5", down.headers().firstValue("Retry-After").orElse(""));
            long started = System.nanoTime();
            HttpResponse<String> api = get("/api/v1/admin/sysconfig", token);
            assertError(api, 503, "DATABASE_UNAVAILABLE");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertEquals("answered within the pool's connect timeout, took " + seconds + " s", true, seconds < 9);
        } finally {
            pg(ctl, "start");
        }
        awaitHealth(200);
        HttpResponse<String> back = get("/api/v1/admin/sysconfig", token);
        assertEquals(back.body(), 200, back.statusCode());
    }

    private HttpResponse<String> awaitHealth(int status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() < deadline) {
            long asked = System.nanoTime();
            last = get("/health");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            if (ms > 3000) {
                throw new AssertionError("/health took " + ms + " ms");
            }
            if (last != null && last.statusCode() == status) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/health never answered " + status + "; last: "
                + (last == null ? "nothing" : last.statusCode() + " " + last.body()));
    }

    private static void pg(String ctl, String action) throws Exception {
        Process process = new ProcessBuilder("bash", ctl, action).inheritIO().start();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("pg.sh " + action + " failed");
        }
    }
}
