package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The admin's way back in: gk:user-passwd from the Karaf shell, as an admin would type it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandIT extends GoatFlowTestSupport {
    private static final Pattern NEW_PASSWORD = Pattern.compile("New password \\(shown only this once\\): (\\S+)");

    @Inject
    private SessionFactory sessions;

    @Test
    public void generatedPasswordReplacesTheOldOneAndEndsSessions() throws Exception {
        String before = adminToken();
        assertEquals(200, get("/api/v1/admin/sysconfig", before).statusCode());

        String output = shell("gk:user-passwd --generate admin", "");
        try {
            Matcher m = NEW_PASSWORD.matcher(output);
            assertTrue(output, m.find());
            assertTrue(output, output.contains("session(s) ended"));

            assertError(get("/api/v1/admin/sysconfig", before), 401, "UNAUTHORIZED");
            assertError(post("/api/v1/auth/login", null,
                    "{\"login\":\"admin\",\"password\":\"" + adminPassword() + "\"}"), 401, "INVALID_CREDENTIALS");
            String after = TestHttp.login(http, base(), "admin", m.group(1));
            assertEquals(200, get("/api/v1/admin/sysconfig", after).statusCode());
        } finally {
            // The prompted form (typed twice) puts the suite's password back; later classes share the database.
            String typed = adminPassword() + "\n";
            String restored = shell("gk:user-passwd admin", typed + typed);
            assertTrue(restored, restored.contains("Password of 'admin' changed"));
        }
        assertEquals(200, get("/api/v1/admin/sysconfig", adminToken()).statusCode());
    }

    @Test
    public void differingEntriesChangeNothing() throws Exception {
        String output = shell("gk:user-passwd admin", "first-long-password\nsecond-long-password\n");
        assertTrue(output, output.contains("The two entries differ"));
        assertEquals(200, get("/api/v1/admin/sysconfig", adminToken()).statusCode());
    }

    /** The way back in for an administrator who lost their authenticator: no signed-in admin needed. */
    @Test
    public void secondFactorResetFromTheShell() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        String login = fx.name("lost-phone");
        fx.agent(login, Map.of());
        String session = fx.agentToken(login);
        String secret = fx.call("POST", "/api/v1/users/me/two-factor/totp", session, "{}", 200).path("data")
                .path("secret").asText();
        fx.call("POST", "/api/v1/users/me/two-factor/totp/confirm", session,
                Map.of("code", Oath.totp(secret, java.time.Instant.now())), 200);
        assertTrue(post("/api/v1/auth/login", null, "{\"login\":\"" + login + "\",\"password\":\""
                + HelpDeskFixture.PASSWORD + "\"}").body().contains("second_factor_required"));

        String output = shell("gk:user-2fa-reset " + login, "");
        assertTrue(output, output.contains("Second factor of '" + login
                + "' removed (TOTP and recovery codes, 0 passkey(s) or security key(s)); 1 session(s) ended."));
        assertError(get("/api/v1/users/me", session), 401, "UNAUTHORIZED");
        assertTrue(TestHttp.login(http, base(), login, HelpDeskFixture.PASSWORD).length() > 20);
        com.fasterxml.jackson.databind.JsonNode entry = fx.call("GET", "/api/v1/audit-log?per_page=1", admin, null,
                200).path("data").get(0);
        assertEquals("two_factor.cleared", entry.path("action").asText());
        assertEquals(0, entry.path("actor_id").asLong());
        assertTrue(entry.toString(), entry.path("detail").asText().contains("Karaf shell"));

        assertTrue(shell("gk:user-2fa-reset " + login, "").contains("had no second factor on"));
        assertTrue(shell("gk:user-2fa-reset --customer nobody-here", "").contains("No customer user with login"));
    }

    @Test
    public void unknownLoginChangesNothing() throws Exception {
        String output = shell("gk:user-passwd --generate nobody", "");
        assertTrue(output, output.contains("No agent with login 'nobody'"));
        assertTrue(output, !NEW_PASSWORD.matcher(output).find());
    }

    @Test
    public void userAddCreatesAnAgentThatCanLogInAndQueueListShowsQueues() throws Exception {
        String login = "shell.agent." + System.nanoTime();
        String output = shell("gk:user-add --generate " + login + " Shell Agent", "");
        Matcher m = Pattern.compile("Password \\(shown only this once\\): (\\S+)").matcher(output);
        assertTrue(output, m.find());
        String token = TestHttp.login(http, base(), login, m.group(1));
        assertEquals(200, get("/api/v1/queues", token).statusCode());
        assertError(get("/api/v1/admin/sysconfig", token), 404, "NOT_FOUND");
        assertTrue(shell("gk:user-add --generate " + login + " Shell Agent", "").contains("exists already"));

        String admin = "shell.admin." + System.nanoTime();
        String typed = "typed-password-123\n";
        assertTrue(shell("gk:user-add --admin " + admin + " Shell Admin", typed + typed).contains("(administrator)"));
        assertEquals(200, get("/api/v1/admin/sysconfig", TestHttp.login(http, base(), admin, "typed-password-123"))
                .statusCode());

        String queues = shell("gk:queue-list", "");
        assertTrue(queues, queues.contains("Postmaster") && queues.contains("users") && queues.contains("Open"));
        String none = shell("gk:queue-list --group admin", "");
        assertTrue(none, !none.contains("Postmaster"));
    }

    @Test
    public void pluginCommandsListSwitchAndShowLogs() throws Exception {
        String admin = adminToken();
        for (int i = 0; i < 100 && statusOf(get("/api/plugins/stats/overview", admin)) != 200; i++) {
            Thread.sleep(100);
        }
        String list = shell("gk:plugin-list", "");
        assertTrue(list, list.contains("stats") && list.contains("wasm") && list.contains("loaded"));
        String disabled = shell("gk:plugin-disable stats", "");
        assertTrue(disabled, disabled.contains("Plugin stats disabled"));
        assertError(get("/api/plugins/stats/overview", admin), 404, "NOT_FOUND");
        String row = shell("gk:plugin-list", "").lines().filter(l -> l.trim().startsWith("stats ")).findFirst()
                .orElse("");
        assertTrue(row, row.matches(".*\\|\\s*no\\s*\\|.*"));
        String enabled = shell("gk:plugin-enable stats", "");
        assertTrue(enabled, enabled.contains("Plugin stats enabled"));
        assertEquals(200, statusOf(get("/api/plugins/stats/overview", admin)));
        String logs = shell("gk:plugin-logs -n 5 stats", "");
        assertTrue(logs, logs.contains("disabled by user 1") && logs.contains("enabled by user 1"));
        String reset = shell("gk:plugin-reset stats", "");
        assertTrue(reset, reset.contains("Crash loop of stats reset"));
        String unknown = shell("gk:plugin-enable no-such-plugin", "");
        assertTrue(unknown, unknown.contains("No plugin named no-such-plugin"));
    }

    private String shell(String command, String typed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), out, out);
        try {
            session.execute(command);
        } finally {
            out.flush();
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
