package io.goatflow.persistence.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements at semicolons, skipping {@code --} and block comments and leaving
 * semicolons inside quoted strings, quoted identifiers and PostgreSQL dollar-quoted bodies alone.
 */
final class SqlStatements {
    private SqlStatements() {
    }

    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
                current.append('\n');
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(script, i, c);
                current.append(script, i, end);
                i = end;
            } else if (c == '$') {
                int tagEnd = script.indexOf('$', i + 1);
                String tag = tagEnd < 0 ? null : script.substring(i, tagEnd + 1);
                if (tag != null && tag.chars().skip(1).limit(tag.length() - 2L)
                        .allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                    int close = script.indexOf(tag, tagEnd + 1);
                    int end = close < 0 ? n : close + tag.length();
                    current.append(script, i, end);
                    i = end;
                } else {
                    current.append(c);
                    i++;
                }
            } else if (c == ';') {
                addIfNotBlank(statements, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        addIfNotBlank(statements, current);
        return statements;
    }

    /** Index just past the quote that closes the one at {@code start}; a doubled quote is an escaped quote. */
    private static int closingQuote(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    private static void addIfNotBlank(List<String> statements, StringBuilder statement) {
        String text = statement.toString().strip();
        if (!text.isEmpty()) {
            statements.add(text);
        }
    }
}
