package io.goatflow.pluginhost.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Restart bookkeeping of one plugin: exponential backoff between restarts (reset by a good health ping) and the
 * crash-loop rule: more than {@code maxRestarts} restarts inside {@code window} abandons the plugin until an admin
 * resets it. Synchronized: the supervisor's thread and an admin's reset may meet.
 */
final class CrashLoopGuard {
    private final int maxRestarts;
    private final Duration window;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Deque<Instant> restarts = new ArrayDeque<>();
    private int step;
    private boolean abandoned;
    private Instant abandonedAt;

    CrashLoopGuard(int maxRestarts, Duration window, Duration initialBackoff, Duration maxBackoff) {
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** How long to wait before the next restart: initial, doubled per restart since the last good ping, capped. */
    synchronized Duration backoff() {
        Duration d = initialBackoff;
        for (int i = 0; i < step && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /**
     * Asks to restart now. Returns false, and marks the plugin abandoned, when this restart would be one more than
     * the window allows.
     */
    synchronized boolean tryRestart(Instant now) {
        if (abandoned) {
            return false;
        }
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(window))) {
            restarts.removeFirst();
        }
        if (restarts.size() >= maxRestarts) {
            abandoned = true;
            abandonedAt = now;
            return false;
        }
        restarts.addLast(now);
        step++;
        return true;
    }

    /** A good ping: the next restart starts again at the initial backoff. */
    synchronized void healthy() {
        step = 0;
    }

    synchronized boolean abandoned() {
        return abandoned;
    }

    synchronized Instant abandonedAt() {
        return abandonedAt;
    }

    /** Restarts inside the current window. */
    synchronized int recentRestarts(Instant now) {
        return (int) restarts.stream().filter(t -> !t.isBefore(now.minus(window))).count();
    }

    /** The admin's reset: forget the history and allow restarts again. */
    synchronized void reset() {
        restarts.clear();
        step = 0;
        abandoned = false;
        abandonedAt = null;
    }
}
