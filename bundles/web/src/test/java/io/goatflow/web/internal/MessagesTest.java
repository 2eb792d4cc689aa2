package io.goatflow.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every language has every text of English, with the same placeholders; and every key a template uses exists. */
class MessagesTest {
    private static final ClassLoader LOADER = MessagesTest.class.getClassLoader();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");
    private static final Pattern TEMPLATE_KEY = Pattern.compile("t\\('([a-z0-9_.]*[a-z0-9_])'[,)]");

    @Test
    void everyLanguageHasEveryKeyWithTheSamePlaceholders() {
        Properties english = Messages.load(LOADER, "i18n/messages_en.properties");
        assertFalse(english.isEmpty());
        for (Language language : Language.ALL) {
            Properties texts = Messages.load(LOADER, "i18n/messages_" + language.code() + ".properties");
            Set<String> missing = new TreeSet<>(english.stringPropertyNames());
            missing.removeAll(texts.stringPropertyNames());
            assertTrue(missing.isEmpty(), language.code() + " lacks " + missing);
            Set<String> extra = new TreeSet<>(texts.stringPropertyNames());
            extra.removeAll(english.stringPropertyNames());
            assertTrue(extra.isEmpty(), language.code() + " has unknown keys " + extra);
            for (String key : english.stringPropertyNames()) {
                assertEquals(placeholders(english.getProperty(key)), placeholders(texts.getProperty(key)),
                        language.code() + " " + key);
                assertFalse(texts.getProperty(key).isBlank(), language.code() + " " + key);
            }
        }
    }

    @Test
    void everyKeyATemplateUsesExists() throws IOException {
        Messages messages = new Messages(LOADER);
        Set<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".peb")).toList()) {
                Matcher m = TEMPLATE_KEY.matcher(Files.readString(file));
                while (m.find()) {
                    if (!messages.has(m.group(1))) {
                        unknown.add(file.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        assertTrue(unknown.isEmpty(), "keys missing from messages_en.properties: " + unknown);
    }

    @Test
    void aMissingKeyShowsItsMarkerAndArgumentsAreFormattedPerLocale() {
        Messages messages = new Messages(LOADER);
        assertEquals("⟦no.such.key⟧", messages.text(Language.DEFAULT, "no.such.key"));
        assertEquals("Signed in as carol", messages.text(Language.DEFAULT, "nav.signed_in_as", "carol"));
        assertTrue(messages.text(Language.of("de").orElseThrow(), "pager.position", 1, 2, 12345)
                .contains("12.345"));
    }

    @Test
    void acceptLanguagePicksTheFirstSupportedLanguage() {
        assertEquals("de", Language.fromAcceptLanguage("de-AT,de;q=0.9,en;q=0.5").code());
        assertEquals("he", Language.fromAcceptLanguage("xx, he;q=0.8").code());
        assertEquals("en", Language.fromAcceptLanguage("not a header;;;").code());
        assertTrue(Language.of("ar").orElseThrow().rtl());
        assertFalse(Language.of("tlh").orElseThrow().rtl());
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
