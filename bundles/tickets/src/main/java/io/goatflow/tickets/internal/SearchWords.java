package io.goatflow.tickets.internal;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Splits text into the normalised words the search index stores and queries look up. */
final class SearchWords {
    static final int MIN_LENGTH = 2;
    static final int MAX_LENGTH = 64;
    /** Words indexed per title or article at most; enough for long mails, bounded for pasted logs. */
    static final int MAX_WORDS = 5000;

    private SearchWords() {
    }

    static Set<String> of(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null || text.isEmpty()) {
            return words;
        }
        String normalised = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= normalised.length() && words.size() < MAX_WORDS; ) {
            int cp = i < normalised.length() ? normalised.codePointAt(i) : ' ';
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else {
                add(words, word);
                word.setLength(0);
            }
            i += Character.charCount(cp);
        }
        return words;
    }

    private static void add(Set<String> words, StringBuilder word) {
        if (word.length() >= MIN_LENGTH) {
            // cut by code points, never inside a surrogate pair
            int end = word.codePointCount(0, word.length()) > MAX_LENGTH ? word.offsetByCodePoints(0, MAX_LENGTH)
                    : word.length();
            words.add(word.substring(0, end));
        }
    }
}
