package io.goatflow.sysconfig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.rest.ApiException;
import io.goatflow.rest.Caller;
import io.goatflow.rest.Envelope;
import io.goatflow.sysconfig.ConfigScope;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.ws.rs.core.SecurityContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Who may call the sysconfig routes and what they answer, on the store over an in-memory H2. */
class SysconfigResourcesTest {
    private static final String SETTING = "Test::PageSize";
    private static final long ORG = 7;
    private static final Caller ADMIN = new Caller(1, "admin", Caller.Kind.AGENT, true, 1);
    private static final Caller AGENT = new Caller(42, "agent", Caller.Kind.AGENT, false, 2, null, ORG);
    private static final Caller CUSTOMER = new Caller(42, "customer", Caller.Kind.CUSTOMER, false, 3, "ACME", ORG);

    private SysconfigStore store;
    private SysconfigResource admin;
    private SettingResolutionResource resolution;
    private UserSettingsResource mine;

    @BeforeEach
    void freshDatabase() {
        store = new SysconfigStore(new TestDatabase(), null);
        store.define(SETTING, "Tickets per page", "Frontend::Agent", 25, true);
        admin = new SysconfigResource(store);
        resolution = new SettingResolutionResource(store);
        mine = new UserSettingsResource(store);
    }

    @Test
    void theResolutionRouteIsForAdminsOnly() {
        assertApiError(401, "UNAUTHORIZED", () -> resolution.resolution(as(null), SETTING, null, null));
        assertApiError(404, "NOT_FOUND", () -> resolution.resolution(as(AGENT), SETTING, null, null));
        assertApiError(404, "NOT_FOUND", () -> resolution.resolution(as(CUSTOMER), SETTING, null, null));
    }

    @Test
    void theResolutionRouteShowsEveryTierAndTheSource() {
        store.set(SETTING, 30, ADMIN.id());
        store.setOrgValue(ORG, SETTING, 40, ADMIN.id());
        store.setAgentValue(ConfigScope.agent(ORG, AGENT.id()), SETTING, 50);

        Map<String, Object> all = data(resolution.resolution(as(ADMIN), SETTING, "7", "42"));
        assertEquals("user", all.get("source"));
        assertEquals(50, all.get("value"));
        assertEquals(7L, all.get("org_id"));
        assertEquals(42L, all.get("user_id"));
        Map<String, Object> tiers = map(all.get("tiers"));
        assertEquals(List.of("user", "org", "system", "default"), new ArrayList<>(tiers.keySet()));
        assertEquals(40, map(tiers.get("org")).get("value"));
        assertEquals(1L, map(tiers.get("org")).get("changed_by"));
        assertEquals(25, map(tiers.get("default")).get("value"));

        Map<String, Object> otherOrg = data(resolution.resolution(as(ADMIN), SETTING, "8", ""));
        assertEquals("system", otherOrg.get("source"));
        assertNull(map(otherOrg.get("tiers")).get("user"));
        assertNull(map(otherOrg.get("tiers")).get("org"));
        assertEquals(30, map(map(otherOrg.get("tiers")).get("system")).get("value"));

        assertApiError(400, "VALIDATION_FAILED", () -> resolution.resolution(as(ADMIN), SETTING, "x", null));
        assertApiError(400, "VALIDATION_FAILED", () -> resolution.resolution(as(ADMIN), SETTING, null, "-1"));
        assertApiError(404, "NOT_FOUND", () -> resolution.resolution(as(ADMIN), "NoSuchSetting", null, null));
    }

    @Test
    void adminAnswersNameTheSource() {
        assertEquals("default", data(admin.get(as(ADMIN), SETTING)).get("source"));
        Map<String, Object> changed = data(admin.set(as(ADMIN), SETTING, new ValueChange(30)));
        assertEquals("system", changed.get("source"));
        assertEquals("system", changed.get("tier"));
        assertEquals(1L, changed.get("changed_by"));
        List<Map<String, Object>> listed = list(admin.list(as(ADMIN), "pagesize", null, null));
        assertEquals("system", listed.get(0).get("source"));
        // an organisation's value never shows in the system-wide admin view
        store.setOrgValue(ORG, SETTING, 40, ADMIN.id());
        assertEquals(30, data(admin.get(as(ADMIN), SETTING)).get("value"));
        assertEquals("default", data(admin.reset(as(ADMIN), SETTING)).get("source"));
    }

    @Test
    void customersHaveNoOwnSettings() {
        assertApiError(404, "NOT_FOUND", () -> mine.list(as(CUSTOMER), null, null));
        assertApiError(404, "NOT_FOUND", () -> mine.set(as(CUSTOMER), SETTING, new ValueChange(50)));
        assertApiError(404, "NOT_FOUND", () -> mine.reset(as(CUSTOMER), SETTING));
        assertApiError(401, "UNAUTHORIZED", () -> mine.list(as(null), null, null));
    }

    @Test
    void agentsSeeSetAndDropTheirOwnValues() {
        store.setOrgValue(ORG, SETTING, 40, ADMIN.id());
        List<Map<String, Object>> listed = list(mine.list(as(AGENT), null, null));
        assertEquals(1, listed.size(), "only user-modifiable settings: " + listed);
        assertEquals(SETTING, listed.get(0).get("name"));
        assertEquals(40, listed.get(0).get("value"));
        assertEquals("org", listed.get(0).get("source"));

        Map<String, Object> set = data(mine.set(as(AGENT), SETTING, new ValueChange(50)));
        assertEquals(50, set.get("value"));
        assertEquals("user", set.get("source"));
        assertEquals(25, set.get("default_value"));

        Map<String, Object> dropped = data(mine.reset(as(AGENT), SETTING));
        assertEquals(40, dropped.get("value"));
        assertEquals("org", dropped.get("source"));

        assertApiError(409, "SETTING_NOT_USER_MODIFIABLE",
                () -> mine.set(as(AGENT), "SessionMaxTime", new ValueChange(60)));
        assertApiError(400, "VALIDATION_FAILED", () -> mine.set(as(AGENT), SETTING, new ValueChange("many")));
        assertApiError(400, "VALIDATION_FAILED", () -> mine.set(as(AGENT), SETTING, null));
        assertApiError(404, "NOT_FOUND", () -> mine.set(as(AGENT), "NoSuchSetting", new ValueChange(1)));
        assertApiError(404, "NOT_FOUND", () -> mine.reset(as(AGENT), "x".repeat(300)));
    }

    @Test
    void anAgentLockedOutOfItsOrganisationsGetsSystemValues() {
        store.setOrgValue(ORG, SETTING, 40, ADMIN.id());
        Caller lockedOut = AGENT.inOrg(Caller.LOCKED_OUT);
        assertEquals(ConfigScope.agent(0, AGENT.id()), UserSettingsResource.scopeOf(lockedOut));
        assertEquals("default", list(mine.list(as(lockedOut), null, null)).get(0).get("source"));
    }

    @Test
    void theAgentListIsPaged() {
        store.define("Test::Another", "", "", "compact", true);
        Envelope page = mine.list(as(AGENT), "2", "1");
        assertEquals(2, page.pagination().total());
        assertTrue(page.pagination().hasPrev());
        assertEquals(SETTING, list(page).get(0).get("name"));
        assertApiError(400, "VALIDATION_FAILED", () -> mine.list(as(AGENT), "0", null));
    }

    private static SecurityContext as(Caller caller) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return null;
            }
        };
    }

    private static void assertApiError(int status, String code, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
    }

    private static Map<String, Object> data(Envelope envelope) {
        assertTrue(envelope.success());
        return map(envelope.data());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Envelope envelope) {
        assertTrue(envelope.success());
        return (List<Map<String, Object>>) envelope.data();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
