package io.goatflow.customfields.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regex validation with a deadline. Java's backtracking matcher can take exponential time on patterns such as
 * {@code (a+)+$}; the input is wrapped in a CharSequence that checks the clock while the matcher reads it, so a
 * catastrophic pattern or input costs at most the time limit and the request thread is never held.
 */
final class BoundedRegex {
    static final class Timeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Timeout() {
            super("regular expression took too long", null, false, false);
        }
    }

    private BoundedRegex() {
    }

    /** Whether all of {@code input} matches; throws {@link Timeout} once {@code limitMillis} have passed. */
    static boolean matches(Pattern pattern, String input, long limitMillis) {
        long deadline = System.nanoTime() + limitMillis * 1_000_000L;
        Matcher m = pattern.matcher(new DeadlineChars(input, deadline));
        return m.matches();
    }

    private static final class DeadlineChars implements CharSequence {
        private final String text;
        private final long deadline;
        private int reads;

        DeadlineChars(String text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            // checking the clock on every read would dominate the cost of ordinary patterns
            if ((++reads & 0x3FF) == 0 && System.nanoTime() > deadline) {
                throw new Timeout();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new DeadlineChars(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
