package io.goatflow.securesettings.internal;

/**
 * How values are shown: a fixed mask and the last four characters ({@code ••••1234}), enough to recognise which key
 * is stored. Values of four characters or fewer are masked completely, and the mask has the same length whatever
 * the value's, so it reveals no length.
 */
final class Masking {
    static final String MASK = "\u2022\u2022\u2022\u2022";
    static final int VISIBLE = 4;

    private Masking() {
    }

    static String mask(String value) {
        // by code points, so a character outside the BMP is shown whole or not at all
        if (value.codePointCount(0, value.length()) <= VISIBLE) {
            return MASK;
        }
        return MASK + value.substring(value.offsetByCodePoints(value.length(), -VISIBLE));
    }
}
