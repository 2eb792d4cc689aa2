package io.goatflow.pluginhost.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last lines each plugin logged, and the host's own notes about it (denials, load failures), for the admin
 * API. A ring buffer per plugin, in this instance's memory (logs are diagnostics, not state).
 */
final class PluginLogs {
    static final int CAPACITY = 500;

    /** One line. */
    record Line(Instant at, String plugin, String level, String message) {
    }

    private final Map<String, Deque<Line>> lines = new ConcurrentHashMap<>();

    void add(String plugin, String level, String message) {
        Deque<Line> buffer = lines.computeIfAbsent(plugin, p -> new ArrayDeque<>());
        synchronized (buffer) {
            if (buffer.size() == CAPACITY) {
                buffer.removeFirst();
            }
            buffer.addLast(new Line(Instant.now(), plugin, level, message.length() > 4000
                    ? message.substring(0, 4000) + "…" : message));
        }
    }

    List<Line> of(String plugin) {
        Deque<Line> buffer = lines.get(plugin);
        if (buffer == null) {
            return List.of();
        }
        synchronized (buffer) {
            return new ArrayList<>(buffer);
        }
    }

    void clear(String plugin) {
        lines.remove(plugin);
    }
}
