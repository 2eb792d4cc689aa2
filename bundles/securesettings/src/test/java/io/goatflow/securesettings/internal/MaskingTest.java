package io.goatflow.securesettings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void showsOnlyTheLastFourCharacters() {
        assertEquals("••••1234", Masking.mask("sk_live_abcdef1234"));
        assertEquals("••••bcde", Masking.mask("abcde"));
    }

    @Test
    void shortValuesAreFullyMaskedWithoutRevealingTheirLength() {
        assertEquals("••••", Masking.mask(""));
        assertEquals("••••", Masking.mask("a"));
        assertEquals("••••", Masking.mask("1234"));
    }

    @Test
    void countsCharactersNotUtf16Units() {
        String goats = "\uD83D\uDC10\uD83D\uDC10\uD83D\uDC10\uD83D\uDC10"; // four code points, eight chars
        assertEquals("••••", Masking.mask(goats));
        assertEquals("••••" + goats, Masking.mask("x" + goats));
    }
}
