package io.goatflow.web.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every template parses: a syntax error fails here in seconds, not as a 500 in the browser suite. */
class TemplatesTest {
    @Test
    void everyTemplateParses() throws IOException {
        Templates templates = new Templates(getClass().getClassLoader(), new Messages(getClass().getClassLoader()),
                false);
        Path root = Path.of("src/main/resources/templates");
        List<String> failures = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".peb")).toList()) {
                String name = root.relativize(f).toString().replace('\\', '/').replaceAll("\\.peb$", "");
                try {
                    templates.compile(name);
                } catch (RuntimeException e) {
                    failures.add(name + ": " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
