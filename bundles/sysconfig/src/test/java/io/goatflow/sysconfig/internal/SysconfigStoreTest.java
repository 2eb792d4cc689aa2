package io.goatflow.sysconfig.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goatflow.rest.ApiException;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.ConfigScope;
import io.goatflow.sysconfig.Resolution;
import io.goatflow.sysconfig.Setting;
import io.goatflow.sysconfig.Setting.Tier;
import io.goatflow.sysconfig.SettingRefusedException;
import io.goatflow.sysconfig.TierValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The four-tier resolution of {@link SysconfigStore} against an in-memory H2 built by the bundle's migrations. */
class SysconfigStoreTest {
    private static final String SETTING = "Test::PageSize";
    private static final long ORG = 7;
    private static final long OTHER_ORG = 8;
    private static final long AGENT = 42;
    private static final long OTHER_AGENT = 43;
    private static final long ADMIN = 1;

    private final List<Map<String, Object>> events = new ArrayList<>();
    private TestDatabase database;
    private SysconfigStore store;

    @BeforeEach
    void freshDatabase() {
        database = new TestDatabase();
        store = new SysconfigStore(database, null);
        store.bindEvents((type, data) -> {
            assertEquals("config.changed", type);
            events.add(data);
        });
        store.define(SETTING, "Tickets per page", "Frontend::Agent", 25, true);
    }

    @Test
    void theSystemScopeIsWhatSettingWithoutScopeAlwaysWas() {
        assertEquals(Optional.of(new Setting("SessionMaxTime", 57600, Tier.DEFAULT)), store.setting("SessionMaxTime"));
        store.set("SessionMaxTime", 3600, ADMIN);
        assertEquals(Optional.of(new Setting("SessionMaxTime", 3600, Tier.SYSTEM)), store.setting("SessionMaxTime"));
        assertEquals(store.setting("SessionMaxTime"), store.setting("SessionMaxTime", ConfigScope.SYSTEM));
        assertEquals(3600, store.number("SessionMaxTime", 1));
        assertTrue(store.setting("NoSuchSetting").isEmpty());
    }

    @Test
    void eachTierWinsOverTheNext() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        assertEquals(new Setting(SETTING, 25, Tier.DEFAULT), store.setting(SETTING, agent).orElseThrow());

        store.set(SETTING, 30, ADMIN);
        assertEquals(new Setting(SETTING, 30, Tier.SYSTEM), store.setting(SETTING, agent).orElseThrow());

        Resolution orgWide = store.setOrgValue(ORG, SETTING, 40, ADMIN);
        assertEquals(Tier.ORG, orgWide.source());
        assertEquals(40, orgWide.value());
        assertEquals(new Setting(SETTING, 40, Tier.ORG), store.setting(SETTING, agent).orElseThrow());

        Resolution own = store.setAgentValue(agent, SETTING, 50);
        assertEquals(new Setting(SETTING, 50, Tier.USER), own.setting());
        assertEquals(50, store.number(SETTING, agent, 0));

        Resolution all = store.resolution(SETTING, agent).orElseThrow();
        assertEquals(List.of(Tier.USER, Tier.ORG, Tier.SYSTEM, Tier.DEFAULT),
                all.tiers().stream().map(TierValue::tier).toList());
        assertEquals(List.of(50, 40, 30, 25), all.tiers().stream().map(TierValue::value).toList());
        assertEquals(AGENT, all.tier(Tier.USER).orElseThrow().changedBy());
        assertEquals(25, all.defaultValue());
        assertTrue(all.userModifiable());
        assertFalse(all.readonly());
    }

    @Test
    void resettingATierFallsBackToTheNextOne() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        store.set(SETTING, 30, ADMIN);
        store.setOrgValue(ORG, SETTING, 40, ADMIN);
        store.setAgentValue(agent, SETTING, 50);

        assertEquals(new Setting(SETTING, 40, Tier.ORG), store.resetAgentValue(agent, SETTING).setting());
        assertEquals(new Setting(SETTING, 30, Tier.SYSTEM), store.resetOrgValue(ORG, SETTING, ADMIN).setting());
        assertEquals(Tier.SYSTEM, store.setting(SETTING, agent).orElseThrow().tier());
        store.reset(SETTING, ADMIN);
        assertEquals(new Setting(SETTING, 25, Tier.DEFAULT), store.setting(SETTING, agent).orElseThrow());

        // idempotent: nothing left to drop is no error
        assertEquals(Tier.DEFAULT, store.resetAgentValue(agent, SETTING).source());
        assertEquals(Tier.DEFAULT, store.resetOrgValue(ORG, SETTING, ADMIN).source());
    }

    @Test
    void aSecondWriteReplacesTheValueOfItsTier() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        store.setOrgValue(ORG, SETTING, 40, ADMIN);
        store.setOrgValue(ORG, SETTING, 41, 2);
        store.setAgentValue(agent, SETTING, 50);
        store.setAgentValue(agent, SETTING, 51);
        Resolution r = store.resolution(SETTING, agent).orElseThrow();
        assertEquals(51, r.value());
        assertEquals(41, r.tier(Tier.ORG).orElseThrow().value());
        assertEquals(2, r.tier(Tier.ORG).orElseThrow().changedBy());
        assertEquals(1, store.orgValues(ORG).size());
    }

    @Test
    void everyTierTakesOnlyTheDefaultsJsonType() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        for (Object wrong : new Object[] {"fifty", true, List.of(50), Map.of("n", 50), null}) {
            assertRefused(SettingRefusedException.INVALID_VALUE, 400, () -> store.override(SETTING, wrong, ADMIN));
            assertRefused(SettingRefusedException.INVALID_VALUE, 400,
                    () -> store.setOrgValue(ORG, SETTING, wrong, ADMIN));
            assertRefused(SettingRefusedException.INVALID_VALUE, 400, () -> store.setAgentValue(agent, SETTING, wrong));
        }
        // whole numbers stay whole on every tier
        assertRefused(SettingRefusedException.INVALID_VALUE, 400, () -> store.override(SETTING, 2.5, ADMIN));
        assertRefused(SettingRefusedException.INVALID_VALUE, 400, () -> store.setOrgValue(ORG, SETTING, 2.5, ADMIN));
        assertRefused(SettingRefusedException.INVALID_VALUE, 400, () -> store.setAgentValue(agent, SETTING, 2.5));
        assertEquals(Tier.DEFAULT, store.setting(SETTING, agent).orElseThrow().tier(), "nothing was written");
        assertEquals(5_000_000_000L, store.setOrgValue(ORG, SETTING, 5_000_000_000L, ADMIN).value());

        store.define("Test::Fancy", "", "", Map.of("theme", "dark"), true);
        assertEquals(Map.of("theme", "light"),
                store.setAgentValue(agent, "Test::Fancy", Map.of("theme", "light")).value());
        assertRefused(SettingRefusedException.INVALID_VALUE, 400, () -> store.setAgentValue(agent, "Test::Fancy", "x"));
    }

    @Test
    void readOnlySettingsTakeNoValueOnAnyTier() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        store.setOrgValue(ORG, SETTING, 40, ADMIN);
        store.setAgentValue(agent, SETTING, 50);
        sql("UPDATE sysconfig_default SET is_readonly = 1 WHERE name = '" + SETTING + "'");

        assertRefused(SettingRefusedException.READONLY, 409, () -> store.override(SETTING, 30, ADMIN));
        assertRefused(SettingRefusedException.READONLY, 409, () -> store.setOrgValue(ORG, SETTING, 41, ADMIN));
        assertRefused(SettingRefusedException.READONLY, 409, () -> store.setAgentValue(agent, SETTING, 51));
        // values set before the setting became read-only no longer count, nor list
        assertEquals(new Setting(SETTING, 25, Tier.DEFAULT), store.setting(SETTING, agent).orElseThrow());
        assertTrue(store.orgValues(ORG).isEmpty());
        assertTrue(store.userModifiable(agent, 0, 50).stream().noneMatch(e -> e.name().equals(SETTING)));
    }

    @Test
    void agentsSetOnlyUserModifiableSettings() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        assertRefused(SettingRefusedException.NOT_USER_MODIFIABLE, 409,
                () -> store.setAgentValue(agent, "SessionMaxTime", 60));
        assertRefused(SettingRefusedException.NOT_USER_MODIFIABLE, 409,
                () -> store.resetAgentValue(agent, "SessionMaxTime"));
        assertEquals(Tier.DEFAULT, store.setting("SessionMaxTime", agent).orElseThrow().tier());
        // organisations may still override it: the user tier is the only one limited
        assertEquals(Tier.ORG, store.setOrgValue(ORG, "SessionMaxTime", 60, ADMIN).source());

        // a setting that stops being user-modifiable drops its agents' values from the resolution
        store.setAgentValue(agent, SETTING, 50);
        sql("UPDATE sysconfig_default SET user_modification_possible = 0 WHERE name = '" + SETTING + "'");
        assertEquals(Tier.DEFAULT, store.setting(SETTING, agent).orElseThrow().tier());
        assertThrows(IllegalArgumentException.class, () -> store.setAgentValue(ConfigScope.org(ORG), SETTING, 1),
                "the user tier needs an agent");
    }

    @Test
    void organisationsDoNotSeeEachOthersValues() {
        store.setOrgValue(ORG, SETTING, 40, ADMIN);
        assertEquals(Tier.ORG, store.setting(SETTING, ConfigScope.org(ORG)).orElseThrow().tier());
        assertEquals(Tier.ORG, store.setting(SETTING, ConfigScope.agent(ORG, OTHER_AGENT)).orElseThrow().tier());
        assertEquals(new Setting(SETTING, 25, Tier.DEFAULT),
                store.setting(SETTING, ConfigScope.org(OTHER_ORG)).orElseThrow());
        assertEquals(Tier.DEFAULT, store.setting(SETTING, ConfigScope.agent(OTHER_ORG, AGENT)).orElseThrow().tier());
        assertEquals(Tier.DEFAULT, store.setting(SETTING).orElseThrow().tier(), "system-wide reads see no organisation");

        List<TierValue> listed = store.orgValues(ORG);
        assertEquals(1, listed.size());
        assertEquals(SETTING, listed.get(0).name());
        assertEquals(40, listed.get(0).value());
        assertEquals(Tier.ORG, listed.get(0).tier());
        assertTrue(store.orgValues(OTHER_ORG).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.setOrgValue(0, SETTING, 1, ADMIN));
    }

    @Test
    void agentsDoNotSeeEachOthersValues() {
        store.setAgentValue(ConfigScope.agent(ORG, AGENT), SETTING, 50);
        assertEquals(Tier.USER, store.setting(SETTING, ConfigScope.agent(OTHER_ORG, AGENT)).orElseThrow().tier(),
                "an agent's own value follows it into every organisation");
        assertEquals(Tier.DEFAULT, store.setting(SETTING, ConfigScope.agent(ORG, OTHER_AGENT)).orElseThrow().tier());
        assertEquals(Tier.DEFAULT, store.setting(SETTING, ConfigScope.org(ORG)).orElseThrow().tier());
        assertEquals(Tier.DEFAULT, store.setting(SETTING).orElseThrow().tier());
    }

    @Test
    void unknownSettingsAreNotFoundOnEveryTier() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        assertTrue(store.resolution("NoSuchSetting", agent).isEmpty());
        assertTrue(store.setting("NoSuchSetting", agent).isEmpty());
        assertTrue(store.setting("x".repeat(300), agent).isEmpty());
        for (Executable write : List.<Executable>of(() -> store.setOrgValue(ORG, "NoSuchSetting", 1, ADMIN),
                () -> store.resetOrgValue(ORG, "NoSuchSetting", ADMIN),
                () -> store.setAgentValue(agent, "NoSuchSetting", 1), () -> store.resetAgentValue(agent, null))) {
            ApiException e = assertThrows(ApiException.class, write);
            assertEquals(404, e.status());
            assertEquals("NOT_FOUND", e.code());
        }
        assertThrows(IllegalArgumentException.class, () -> store.set("NoSuchSetting", 1, ADMIN));
    }

    @Test
    void oneQueryResolvesAllFourTiers() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        store.set(SETTING, 30, ADMIN);
        store.setOrgValue(ORG, SETTING, 40, ADMIN);
        store.setAgentValue(agent, SETTING, 50);
        database.takePrepared();
        assertEquals(50, store.number(SETTING, agent, 0));
        assertEquals(1, database.takePrepared());
    }

    @Test
    void concurrentWritersOfOneValueQueueUpInsteadOfColliding() throws Exception {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int value = i;
                writes.add(pool.submit(() -> value % 2 == 0 ? store.setOrgValue(ORG, SETTING, value, ADMIN)
                        : store.setAgentValue(agent, SETTING, value)));
            }
            for (java.util.concurrent.Future<?> write : writes) {
                write.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, store.orgValues(ORG).size());
        Resolution r = store.resolution(SETTING, agent).orElseThrow();
        assertEquals(List.of(Tier.USER, Tier.ORG, Tier.DEFAULT), r.tiers().stream().map(TierValue::tier).toList());
    }

    @Test
    void changesArePublishedWithTheirTier() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        store.set(SETTING, 30, ADMIN);
        store.setOrgValue(ORG, SETTING, 40, 5);
        store.setAgentValue(agent, SETTING, 50);
        store.resetAgentValue(agent, SETTING);
        store.resetOrgValue(ORG, SETTING, 5);
        store.resetOrgValue(ORG, SETTING, 5); // nothing changed: no event
        assertEquals(List.of(
                Map.of("name", SETTING, "tier", "system", "changed_by", ADMIN),
                Map.of("name", SETTING, "tier", "org", "org_id", ORG, "changed_by", 5L),
                Map.of("name", SETTING, "tier", "user", "user_id", AGENT, "changed_by", AGENT),
                Map.of("name", SETTING, "tier", "user", "user_id", AGENT, "changed_by", AGENT),
                Map.of("name", SETTING, "tier", "org", "org_id", ORG, "changed_by", 5L)), events);
    }

    @Test
    void theAgentListShowsUserModifiableSettingsResolvedForTheAgent() {
        ConfigScope agent = ConfigScope.agent(ORG, AGENT);
        store.define("Test::Another", "", "", "compact", true);
        store.setOrgValue(ORG, "Test::Another", "roomy", ADMIN);
        store.setAgentValue(agent, SETTING, 50);

        assertEquals(2, store.countUserModifiable());
        List<SysconfigStore.Entry> page = store.userModifiable(agent, 0, 50);
        assertEquals(List.of("Test::Another", SETTING), page.stream().map(SysconfigStore.Entry::name).toList());
        assertEquals(new Setting("Test::Another", "roomy", Tier.ORG), page.get(0).resolution().setting());
        assertEquals(new Setting(SETTING, 50, Tier.USER), page.get(1).resolution().setting());
        assertEquals(List.of(SETTING), store.userModifiable(agent, 1, 1).stream().map(SysconfigStore.Entry::name)
                .toList());
        assertEquals("Tickets per page", page.get(1).description());
    }

    @Test
    void defineRecordsWhetherAgentsMayChangeASettingAndKeepsExistingOnes() {
        store.define("Test::Plain", "", "", 1);
        assertFalse(store.resolution("Test::Plain", ConfigScope.SYSTEM).orElseThrow().userModifiable());
        assertTrue(store.resolution(SETTING, ConfigScope.SYSTEM).orElseThrow().userModifiable());
        store.define(SETTING, "other", "other", "other default", false);
        Resolution kept = store.resolution(SETTING, ConfigScope.SYSTEM).orElseThrow();
        assertEquals(25, kept.defaultValue());
        assertTrue(kept.userModifiable());
        assertFalse(store.resolution("SessionMaxTime", ConfigScope.SYSTEM).orElseThrow().userModifiable(),
                "no seeded setting is user-modifiable");
    }

    @Test
    void scopesAreNeverNegative() {
        assertThrows(IllegalArgumentException.class, () -> new ConfigScope(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> ConfigScope.agent(0, -1));
        assertEquals(ConfigScope.SYSTEM, ConfigScope.org(0));
        assertFalse(ConfigScope.org(3).hasAgent());
    }

    @Test
    void aConfigGetWithoutScopesAnswersScopedReadsSystemWide() {
        ConfigGet systemOnly = name -> Optional.of(new Setting(name, 5L, Tier.SYSTEM));
        assertEquals(5, systemOnly.number("x", ConfigScope.agent(1, 2), 0));
        assertEquals("fallback", systemOnly.string("x", ConfigScope.org(1), "fallback"));
        assertTrue(systemOnly.flag("x", ConfigScope.org(1), true));
    }

    private static void assertRefused(String code, int status, Executable write) {
        SettingRefusedException e = assertThrows(SettingRefusedException.class, write);
        assertEquals(code, e.code());
        assertEquals(status, e.status());
    }

    private void sql(String statement) {
        database.sql(statement);
    }
}
