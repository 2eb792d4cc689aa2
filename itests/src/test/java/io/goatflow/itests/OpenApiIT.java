package io.goatflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;

/**
 * The OpenAPI description at /api/v1/openapi.json covers every served route, and the REST reference in docs/
 * (docs/api.md and the snapshot docs/api/openapi.json) lists exactly the routes the code serves. When this fails
 * after adding a route: document it in docs/api.md and copy itests/target/openapi.json to docs/api/openapi.json.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenApiIT extends GoatFlowTestSupport {
    private static final Pattern DOC_ROUTE = Pattern.compile("^\\| `(GET|POST|PUT|DELETE|PATCH)` \\| `(/api/[^`]+)` \\|",
            Pattern.MULTILINE);

    @Inject
    private JaxrsServiceRuntime runtime;

    @Test
    public void theDescriptionTheCodeAndTheDocsAgree() throws Exception {
        // Bundles register their resources as their migrations finish (organisations after auth, ...): ask until
        // the description and the runtime agree, for at most 30 s, then compare for real.
        JsonNode spec = json(get("/api/v1/openapi.json"));
        TreeSet<String> described = routes(spec);
        TreeSet<String> served = ServedRoutes.of(runtime);
        for (int i = 0; i < 60 && !served.equals(described); i++) {
            Thread.sleep(500);
            spec = json(get("/api/v1/openapi.json"));
            described = routes(spec);
            served = ServedRoutes.of(runtime);
        }
        assertEquals("3.0.3", spec.path("openapi").asText());
        assertEquals("served routes vs /api/v1/openapi.json", served, described);

        JsonNode create = spec.path("paths").path("/v1/tickets").path("post");
        JsonNode body = create.path("requestBody").path("content").path("application/json").path("schema");
        assertTrue(body.toString(), body.path("properties").has("queue_id"));
        assertTrue(body.toString(), body.path("properties").path("article").path("properties").has("attachments"));
        assertTrue(create.toString(), create.path("responses").has("400"));
        JsonNode list = spec.path("paths").path("/v1/tickets").path("get").path("parameters");
        assertTrue(list.toString(), list.toString().contains("\"per_page\""));

        Path base = Path.of(System.getProperty("goatflow.itest.basedir"));
        Files.createDirectories(base.resolve("itests/target"));
        Files.writeString(base.resolve("itests/target/openapi.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(spec), StandardCharsets.UTF_8);
        TreeSet<String> snapshot = routes(JSON.readTree(base.resolve("docs/api/openapi.json").toFile()));
        assertEquals("docs/api/openapi.json is stale; copy itests/target/openapi.json over it", served, snapshot);

        TreeSet<String> documented = new TreeSet<>();
        Matcher m = DOC_ROUTE.matcher(Files.readString(base.resolve("docs/api.md"), StandardCharsets.UTF_8));
        while (m.find()) {
            documented.add(m.group(1) + " " + m.group(2));
        }
        TreeSet<String> missing = new TreeSet<>(served);
        missing.removeAll(documented);
        TreeSet<String> extra = new TreeSet<>(documented);
        extra.removeAll(served);
        assertTrue("routes missing from docs/api.md: " + missing + "; documented but not served: " + extra,
                missing.isEmpty() && extra.isEmpty());
    }

    private static TreeSet<String> routes(JsonNode spec) {
        TreeSet<String> routes = new TreeSet<>();
        String server = spec.path("servers").path(0).path("url").asText("");
        String prefix = server.endsWith("/api") ? "/api" : "";
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                routes.add(methods.next().toUpperCase(Locale.ROOT) + " " + prefix + path.getKey());
            }
        }
        return routes;
    }
}
