package io.goatflow.wasm.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The time limit of one WASM call. Chicory stops a module at its next branch when the running thread is
 * interrupted, so the guard interrupts the caller's thread when the time is up, but never while the thread is inside
 * a host call: an interrupt there could break a JDBC or file channel. A host call that returns after the deadline
 * ends the call instead.
 */
final class CallGuard implements AutoCloseable {
    private final Thread thread = Thread.currentThread();
    private final ScheduledFuture<?> timer;
    private boolean running = true;
    private boolean inHost;
    private boolean expired;

    CallGuard(ScheduledExecutorService timers, long timeoutMillis) {
        this.timer = timers.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void expire() {
        expired = true;
        if (running && !inHost) {
            thread.interrupt();
        }
    }

    synchronized boolean expired() {
        return expired;
    }

    /** Marks the thread as inside a host call; false when the deadline has already passed. */
    synchronized boolean enterHost() {
        inHost = true;
        return !expired;
    }

    /** Leaves a host call; false when the deadline passed meanwhile (the caller must end the call). */
    synchronized boolean leaveHost() {
        inHost = false;
        return !expired;
    }

    @Override
    public void close() {
        timer.cancel(false);
        synchronized (this) {
            running = false;
        }
        // an interrupt sent for this call must not leak into the thread's next task
        Thread.interrupted();
    }
}
