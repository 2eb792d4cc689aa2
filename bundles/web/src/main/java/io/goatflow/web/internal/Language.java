package io.goatflow.web.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A console language: its code, its own name, and whether it is written right to left. */
public record Language(String code, String nativeName, boolean rtl) {

    static final List<Language> ALL = List.of(
            new Language("en", "English", false),
            new Language("ar", "العربية", true),
            new Language("zh", "中文", false),
            new Language("fr", "Français", false),
            new Language("de", "Deutsch", false),
            new Language("he", "עברית", true),
            new Language("ja", "日本語", false),
            new Language("fa", "فارسی", true),
            new Language("pl", "Polski", false),
            new Language("pt", "Português", false),
            new Language("ru", "Русский", false),
            new Language("es", "Español", false),
            new Language("uk", "Українська", false),
            new Language("ur", "اردو", true),
            new Language("tlh", "tlhIngan Hol", false));

    static final Language DEFAULT = ALL.get(0);

    static Optional<Language> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(l -> l.code.equals(wanted)).findFirst();
    }

    /** The best console language for an {@code Accept-Language} header ({@code de-AT,de;q=0.9,en;q=0.5}). */
    static Language fromAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > 500) {
            return DEFAULT;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                String tag = range.getRange();
                int dash = tag.indexOf('-');
                Optional<Language> found = of(dash < 0 ? tag : tag.substring(0, dash));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        } catch (IllegalArgumentException e) {
            // A malformed header is the browser's problem; English it is.
        }
        return DEFAULT;
    }

    public Locale locale() {
        return Locale.forLanguageTag(code);
    }

    public String dir() {
        return rtl ? "rtl" : "ltr";
    }
}
