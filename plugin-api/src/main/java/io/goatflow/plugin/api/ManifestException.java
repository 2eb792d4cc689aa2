package io.goatflow.plugin.api;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot be used, with every problem found, each naming its field ({@code routes[1].path}). */
public class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One problem: the field's path in the manifest and what is wrong with it. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public ManifestException(String plugin, List<Problem> problems) {
        super("Manifest" + (plugin == null || plugin.isBlank() ? "" : " of '" + plugin + "'") + " is invalid: "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
