package io.goatflow.pluginhost.internal;

import io.goatflow.plugin.api.PluginManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The texts a plugin brings in its manifest ({@code i18n.translations}: language → key → text). A text in a manifest
 * (a widget title, a menu label, an error message) or a {@code translate} host call names a key, either bare
 * ({@code widget.overview}) or with the plugin's namespace ({@code stats.widget.overview}). Lookup falls back from
 * {@code de-AT} to {@code de}, then to English, then to the plugin's first language, and finally answers the key
 * itself, so a manifest may also use literal text. Placeholders {@code {0}}, {@code {1}}… take positional
 * arguments, {@code {name}} named ones.
 */
final class PluginTranslations {
    static final String DEFAULT_LANGUAGE = "en";

    private PluginTranslations() {
    }

    static String text(PluginManifest manifest, String keyOrText, String language) {
        return text(manifest, keyOrText, language, List.of(), Map.of());
    }

    static String text(PluginManifest manifest, String keyOrText, String language, List<?> positional,
            Map<String, ?> named) {
        if (keyOrText == null) {
            return null;
        }
        String found = lookup(manifest, keyOrText, language);
        String text = found == null ? keyOrText : found;
        for (int i = 0; i < positional.size(); i++) {
            text = text.replace("{" + i + "}", String.valueOf(positional.get(i)));
        }
        for (Map.Entry<String, ?> e : named.entrySet()) {
            text = text.replace("{" + e.getKey() + "}", String.valueOf(e.getValue()));
        }
        return text;
    }

    /** The translation, or null when the plugin has none for the key in any fallback language. */
    static String lookup(PluginManifest manifest, String key, String language) {
        PluginManifest.I18n i18n = manifest == null ? null : manifest.i18n();
        if (i18n == null || i18n.translations() == null || i18n.translations().isEmpty()) {
            return null;
        }
        String bare = i18n.namespace() != null && key.startsWith(i18n.namespace() + ".")
                ? key.substring(i18n.namespace().length() + 1) : key;
        for (String lang : fallbacks(i18n, language)) {
            Map<String, String> texts = i18n.translations().get(lang);
            if (texts != null) {
                String text = texts.getOrDefault(bare, texts.get(key));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    private static List<String> fallbacks(PluginManifest.I18n i18n, String language) {
        List<String> order = new ArrayList<>();
        if (language != null && !language.isBlank()) {
            String lang = language.trim().replace('_', '-');
            order.add(lang);
            order.add(lang.toLowerCase(Locale.ROOT));
            int dash = lang.indexOf('-');
            if (dash > 0) {
                order.add(lang.substring(0, dash).toLowerCase(Locale.ROOT));
            }
        }
        order.add(DEFAULT_LANGUAGE);
        if (i18n.languages() != null && !i18n.languages().isEmpty()) {
            order.add(i18n.languages().get(0));
        }
        i18n.translations().keySet().stream().sorted().findFirst().ifPresent(order::add);
        return order;
    }

    /** The caller's language: an explicit {@code lang} wins, then the first of Accept-Language, then English. */
    static String language(String explicit, List<Locale> acceptable) {
        if (explicit != null && explicit.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?")) {
            return explicit.replace('_', '-');
        }
        if (acceptable != null) {
            for (Locale l : acceptable) {
                if (!l.getLanguage().isEmpty() && !"*".equals(l.getLanguage())) {
                    return l.toLanguageTag();
                }
            }
        }
        return DEFAULT_LANGUAGE;
    }
}
