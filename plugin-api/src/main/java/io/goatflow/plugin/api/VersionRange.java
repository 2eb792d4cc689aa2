package io.goatflow.plugin.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A range of semantic versions as plugin manifests write it, npm style: comparators joined by spaces (all must
 * hold) and alternatives joined by {@code ||}. Understood: {@code 1.2.3} (exactly), {@code >=1.2.0 <2.0.0},
 * {@code ^1.2.0} (same major; for 0.x the same minor), {@code ~1.2.0} (same minor), {@code 1.x}, {@code 1.2.x},
 * {@code *}. Pre-releases match only comparators that name a pre-release of the same version.
 */
public final class VersionRange {
    private final String text;
    private final List<List<Comparator>> alternatives;

    private record Comparator(String op, SemanticVersion version) {
        boolean test(SemanticVersion v) {
            int c = v.compareTo(version);
            return switch (op) {
                case ">=" -> c >= 0;
                case ">" -> c > 0;
                case "<=" -> c <= 0;
                case "<" -> c < 0;
                default -> c == 0;
            };
        }
    }

    private VersionRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** @throws IllegalArgumentException naming the part that is not understood */
    public static VersionRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a version range is required (for example ^1.2.0)");
        }
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alternative : text.trim().split("\\s*\\|\\|\\s*")) {
            List<Comparator> all = new ArrayList<>();
            for (String part : alternative.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    all.addAll(comparators(part));
                }
            }
            alternatives.add(List.copyOf(all));
        }
        return new VersionRange(text.trim(), List.copyOf(alternatives));
    }

    private static List<Comparator> comparators(String part) {
        if (part.equals("*") || part.equalsIgnoreCase("x")) {
            return List.of();
        }
        String op = part.startsWith(">=") || part.startsWith("<=") ? part.substring(0, 2)
                : part.startsWith(">") || part.startsWith("<") || part.startsWith("=") || part.startsWith("^")
                        || part.startsWith("~") ? part.substring(0, 1) : "";
        String version = part.substring(op.length());
        String[] pieces = version.split("\\.", 3);
        boolean majorOnly = version.matches("\\d{1,9}(\\.[xX*](\\.[xX*])?)?");
        boolean majorMinor = version.matches("\\d{1,9}\\.\\d{1,9}(\\.[xX*])?");
        if ((majorOnly || majorMinor) && (op.isEmpty() || op.equals("="))) {
            int major = Integer.parseInt(pieces[0]);
            if (majorOnly) {
                return List.of(new Comparator(">=", new SemanticVersion(major, 0, 0, null)),
                        new Comparator("<", new SemanticVersion(major + 1, 0, 0, null)));
            }
            int minor = Integer.parseInt(pieces[1]);
            return List.of(new Comparator(">=", new SemanticVersion(major, minor, 0, null)),
                    new Comparator("<", new SemanticVersion(major, minor + 1, 0, null)));
        }
        SemanticVersion v;
        try {
            v = SemanticVersion.parse(version);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + part + "' is not a version comparator (use forms like"
                    + " ^1.2.0, ~1.2.0, >=1.0.0 <2.0.0, 1.x or *)");
        }
        return switch (op) {
            case "^" -> List.of(new Comparator(">=", v), new Comparator("<", v.major() > 0
                    ? new SemanticVersion(v.major() + 1, 0, 0, null)
                    : v.minor() > 0 ? new SemanticVersion(0, v.minor() + 1, 0, null)
                    : new SemanticVersion(0, 0, v.patch() + 1, null)));
            case "~" -> List.of(new Comparator(">=", v),
                    new Comparator("<", new SemanticVersion(v.major(), v.minor() + 1, 0, null)));
            case "" -> List.of(new Comparator("=", v));
            default -> List.of(new Comparator(op, v));
        };
    }

    public boolean includes(SemanticVersion version) {
        for (List<Comparator> all : alternatives) {
            if (version.isPreRelease() && all.stream().noneMatch(c -> c.version().isPreRelease()
                    && c.version().major() == version.major() && c.version().minor() == version.minor()
                    && c.version().patch() == version.patch())) {
                continue;
            }
            if (all.stream().allMatch(c -> c.test(version))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
