package io.goatflow.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The console's texts in every {@link Language}, from {@code i18n/messages_<code>.properties} (UTF-8). A key
 * missing in a language shows as {@value #MISSING_PREFIX}key{@value #MISSING_SUFFIX}, never as English, so
 * that the tests find every gap; {@code MessagesTest} also checks that every language has every English key.
 */
final class Messages {
    static final String MISSING_PREFIX = "⟦";
    static final String MISSING_SUFFIX = "⟧";

    private final Map<String, Properties> byLanguage = new HashMap<>();

    Messages(ClassLoader loader) {
        for (Language language : Language.ALL) {
            byLanguage.put(language.code(), load(loader, "i18n/messages_" + language.code() + ".properties"));
        }
    }

    static Properties load(ClassLoader loader, String resource) {
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
        return properties;
    }

    String text(Language language, String key, Object... args) {
        String pattern = byLanguage.get(language.code()).getProperty(key);
        if (pattern == null) {
            return MISSING_PREFIX + key + MISSING_SUFFIX;
        }
        if (args == null || args.length == 0) {
            return pattern;
        }
        try {
            return new MessageFormat(pattern, language.locale()).format(args);
        } catch (IllegalArgumentException e) {
            return pattern;
        }
    }

    boolean has(String key) {
        return byLanguage.get(Language.DEFAULT.code()).containsKey(key);
    }
}
