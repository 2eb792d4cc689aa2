package io.goatflow.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionRangeTest {
    private static boolean in(String range, String version) {
        return VersionRange.parse(range).includes(SemanticVersion.parse(version));
    }

    @Test
    void semanticVersionsOrderAsSemverSays() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0");
        for (int i = 1; i < ordered.size(); i++) {
            assertTrue(SemanticVersion.parse(ordered.get(i - 1)).compareTo(SemanticVersion.parse(ordered.get(i))) < 0,
                    ordered.get(i - 1) + " < " + ordered.get(i));
        }
        assertEquals(0, SemanticVersion.parse("1.2.3+build.7").compareTo(SemanticVersion.parse("1.2.3")));
        for (String bad : List.of("1.2", "01.2.3", "1.2.3.4", "v1.2.3", "", "1.2.-3")) {
            assertThrows(IllegalArgumentException.class, () -> SemanticVersion.parse(bad), bad);
        }
    }

    @Test
    void rangesAsPluginManifestsWriteThem() {
        assertTrue(in("^1.2.0", "1.9.9"));
        assertFalse(in("^1.2.0", "2.0.0"));
        assertFalse(in("^1.2.0", "1.1.9"));
        assertTrue(in("^0.3.1", "0.3.9"));
        assertFalse(in("^0.3.1", "0.4.0"));
        assertTrue(in("~1.2.3", "1.2.9"));
        assertFalse(in("~1.2.3", "1.3.0"));
        assertTrue(in(">=1.0.0 <2.0.0", "1.5.0"));
        assertFalse(in(">=1.0.0 <2.0.0", "2.0.0"));
        assertTrue(in("1.x", "1.7.3"));
        assertFalse(in("1.2.x", "1.3.0"));
        assertTrue(in("*", "42.0.0"));
        assertTrue(in("1.2.3", "1.2.3"));
        assertFalse(in("1.2.3", "1.2.4"));
        assertTrue(in("^1.0.0 || ^3.0.0", "3.1.0"));
        assertFalse(in("^1.0.0 || ^3.0.0", "2.1.0"));
        // pre-releases only where the range names one of the same version
        assertFalse(in("^1.0.0", "1.1.0-beta"));
        assertTrue(in(">=1.1.0-alpha <2.0.0", "1.1.0-beta"));
        for (String bad : List.of("", "^^1.0.0", ">=banana", "1.2.3.4")) {
            assertThrows(IllegalArgumentException.class, () -> VersionRange.parse(bad), bad);
        }
    }
}
