package io.goatflow.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static final String STATS = """
            {"name":"stats","version":"1.1.0","description":"Ticket statistics","author":"GoatFlow",
             "license":"Apache-2.0","homepage":"https://goatflow.io","min_host_version":"0.1.0",
             "requires":[{"name":"charts","version":"^2.1.0"}],
             "routes":[{"method":"GET","path":"/overview","handler":"overview","middleware":["auth"]},
                       {"method":"GET","path":"/by-queue","handler":"by_queue","middleware":["group:stats"]}],
             "menu_items":[{"id":"stats","label":"Statistics","path":"/stats","location":"agent",
                            "children":[{"id":"queues","label":"Queues","path":"/stats/queues"}]}],
             "widgets":[{"id":"stats_overview","title":"Overview","handler":"widget_overview",
                         "location":"dashboard","size":"medium","refreshable":true,"refresh_sec":60}],
             "jobs":[{"id":"nightly","handler":"rollup","schedule":"0 3 * * *","timeout":"2m"}],
             "i18n":{"namespace":"stats","languages":["en","de"],"translations":{"de":{"title":"Statistik"}}},
             "error_codes":[{"code":"invalid_range","message":"Bad range","http_status":400}],
             "groups":[{"name":"stats_viewers"}],
             "custom_fields":[{"name":"score","entity_type":"ticket","field_type":"integer"}],
             "cascades":[{"entity_type":"ticket","on_soft_delete":"forget_ticket"}],
             "mcp_tools":[{"name":"ticket_stats","handler":"overview","input_schema":{"type":"object"}}],
             "resources":{"memory_mb":64,"call_timeout":"5s","permissions":[{"type":"db","access":"read",
                          "scope":["ticket","queue"]}]}}
            """;

    @Test
    void aCompleteManifestReadsAndWritesBack() throws Exception {
        PluginManifest m = Manifests.parse(STATS);
        assertEquals("stats", m.name());
        assertEquals("Apache-2.0", m.licence());
        assertEquals("^2.1.0", m.requires().get(0).version());
        assertEquals("group:stats", m.routes().get(1).middleware().get(0));
        assertEquals(60, m.widgets().get(0).refreshSec());
        assertEquals("Statistik", m.i18n().translations().get("de").get("title"));
        assertEquals(List.of(), m.uis());
        PluginManifest again = Manifests.parse(Manifests.toJson(m));
        assertEquals(m, again);
        assertTrue(Manifests.toJson(m).contains("\"licence\":\"Apache-2.0\""));
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parse("""
                {"name":"Bad Name","version":"1.0",
                 "requires":[{"name":"other","version":"~~1"}],
                 "routes":[{"method":"BREW","path":"/{id}/x","handler":"h"},
                           {"path":"no-slash","handler":"__health_ping__"},
                           {"path":"/a/../b","handler":"ok","middleware":["root"]}],
                 "widgets":[{"id":"w","handler":"w","size":"huge"},{"id":"w","handler":"w"}],
                 "jobs":[{"id":"j","handler":"j","schedule":"every day","timeout":"soon"}],
                 "error_codes":[{"code":"Bad-Code","http_status":200}],
                 "custom_fields":[{"name":"f","entity_type":"spaceship","field_type":"colour"}],
                 "resources":{"memory_mb":100000,"permissions":[{"type":"root","access":"all"}]}}
                """));
        String fields = e.problems().stream().map(ManifestException.Problem::field).collect(Collectors.joining(","));
        for (String field : List.of("name", "version", "requires[0].version", "routes[0].method", "routes[0].path",
                "routes[1].path", "routes[1].handler", "routes[2].path", "routes[2].middleware", "widgets[0].size",
                "widgets[1].id", "jobs[0].schedule", "jobs[0].timeout", "error_codes[0].code",
                "error_codes[0].http_status", "custom_fields[0].entity_type", "custom_fields[0].field_type",
                "resources.memory_mb", "resources.permissions[0].type", "resources.permissions[0].access")) {
            assertTrue(fields.contains(field), field + " not reported in " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("Manifest of 'Bad Name' is invalid: name: "), e.getMessage());
    }

    @Test
    void malformedJsonNamesWhereItBreaks() {
        assertEquals("routes[0].colour", assertThrows(ManifestException.class, () -> Manifests.parse(
                "{\"name\":\"x1\",\"version\":\"1.0.0\",\"routes\":[{\"path\":\"/a\",\"colour\":1}]}"))
                .problems().get(0).field());
        assertEquals("routes", assertThrows(ManifestException.class, () -> Manifests.parse(
                "{\"name\":\"x1\",\"version\":\"1.0.0\",\"routes\":\"all\"}")).problems().get(0).field());
        assertTrue(assertThrows(ManifestException.class, () -> Manifests.parse("{\"name\":"))
                .getMessage().contains("not valid JSON"));
        assertThrows(ManifestException.class, () -> Manifests.parse(""));
        assertThrows(ManifestException.class, () -> Manifests.parse("null"));
    }

    @Test
    void aPluginCannotRequireItself() {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parse(
                "{\"name\":\"loop\",\"version\":\"1.0.0\",\"requires\":[{\"name\":\"loop\",\"version\":\"*\"}]}"));
        assertEquals("requires[0].name", e.problems().get(0).field());
    }

    @Test
    void namesOfThePluginApiItselfAreReserved() {
        for (String name : List.of("health", "widgets", "menu")) {
            ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parse(
                    "{\"name\":\"" + name + "\",\"version\":\"1.0.0\"}"));
            assertEquals("name", e.problems().get(0).field());
            assertTrue(e.problems().get(0).message().contains("reserved"), e.getMessage());
        }
    }
}
