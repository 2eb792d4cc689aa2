package io.goatflow.wasm.internal;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goatflow.plugin.api.GoatPlugin;
import io.goatflow.plugin.api.HostApi;
import io.goatflow.plugin.api.HostCallException;
import io.goatflow.plugin.api.PluginCallException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.extism.sdk.chicory.ExtismFunctionException;
import org.extism.sdk.chicory.ExtismHostFunction;
import org.extism.sdk.chicory.ExtismValType;
import org.extism.sdk.chicory.Manifest;
import org.extism.sdk.chicory.ManifestWasm;
import org.extism.sdk.chicory.Plugin;

/**
 * One WASM module as a {@link GoatPlugin}. The module is compiled once; calls run on instances from a pool (up to
 * {@code pool_size} at a time), each under a memory limit and a {@link CallGuard} time limit. An instance that
 * trapped or timed out is thrown away, since its memory may be half-written. Restarting the plugin (shutdown, then
 * init) drops every instance.
 *
 * <p>ABI: the export {@code gk_register} outputs the manifest JSON; every other export is a function taking JSON
 * input and setting JSON output (return 0), or setting an error (return 1) that is either text or
 * {@code {"code","message"}}. The import {@code extism:host/user host_call(name, args) -> result} takes two
 * Extism memory offsets and returns one holding {@code {"result": …}} or {@code {"error": {"code","message"}}}.
 */
final class WasmPlugin implements GoatPlugin {
    static final String REGISTER = "gk_register";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Which guard watches the call running on this thread, for host calls made from inside it. */
    private final ThreadLocal<CallGuard> current = new ThreadLocal<>();

    private final byte[] module;
    private final Manifest.Options options;
    private final Set<String> exports;
    private final ScheduledExecutorService timers;
    private final long callTimeoutMillis;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Plugin> idle = new ConcurrentLinkedQueue<>();
    private final String manifestJson;
    private volatile HostApi host;
    private volatile int generation;

    WasmPlugin(String file, byte[] module, WasmRuntimeConfig config, ScheduledExecutorService timers) {
        this.timers = timers;
        this.callTimeoutMillis = config.call_timeout_ms();
        this.permits = new Semaphore(Math.max(1, config.pool_size()), true);
        WasmModule parsed = Parser.parse(module);
        this.exports = functionExports(parsed.exportSection());
        this.module = module;
        this.options = new Manifest.Options().withAoT(config.aot())
                .withMemoryLimits(1, Math.max(1, config.memory_max_pages()));
        if (!exports.contains(REGISTER)) {
            throw new IllegalArgumentException(file + " does not export " + REGISTER + " (its manifest)");
        }
        try {
            this.manifestJson = run(REGISTER, "{}", config.init_timeout_ms());
        } catch (PluginCallException e) {
            throw new IllegalArgumentException(file + ": " + REGISTER + " failed: " + e.getMessage(), e);
        }
    }

    private static Set<String> functionExports(ExportSection section) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < section.exportCount(); i++) {
            if (section.getExport(i).exportType() == ExternalType.FUNCTION) {
                names.add(section.getExport(i).name());
            }
        }
        return names;
    }

    @Override
    public String manifestJson() {
        return manifestJson;
    }

    @Override
    public void init(HostApi host) {
        this.host = host;
    }

    @Override
    public void shutdown() {
        generation++;
        idle.clear();
        host = null;
    }

    @Override
    public String call(String function, String jsonArgs) throws PluginCallException {
        if (function == null || function.equals(REGISTER) || !exports.contains(function)) {
            throw new PluginCallException("unknown_function", "The plugin has no function '" + function + "'");
        }
        return run(function, jsonArgs == null ? "{}" : jsonArgs, callTimeoutMillis);
    }

    private String run(String function, String input, long timeoutMillis) throws PluginCallException {
        long started = System.nanoTime();
        try {
            if (!permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new PluginCallException("busy", "Every instance of the plugin is busy; try again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginCallException("timeout", "The call was cancelled while waiting for an instance");
        }
        long left = Math.max(1, timeoutMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        int born = generation;
        Plugin instance = null;
        boolean reusable = false;
        CallGuard guard = new CallGuard(timers, left);
        CallGuard outer = current.get();
        current.set(guard);
        try {
            instance = idle.poll();
            if (instance == null) {
                instance = newInstance();
            }
            byte[] out = instance.call(function, input.getBytes(StandardCharsets.UTF_8));
            reusable = true;
            return out == null ? "null" : new String(out, StandardCharsets.UTF_8);
        } catch (ExtismFunctionException e) {
            reusable = true;
            throw pluginError(e.getError() == null ? e.getMessage() : e.getError());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (guard.expired() || interruptedBy(e)) {
                throw new PluginCallException("timeout", "The plugin did not answer within " + timeoutMillis + " ms");
            }
            throw new PluginCallException("trap", "The plugin failed: " + describe(e));
        } finally {
            guard.close();
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
            if (reusable && instance != null && born == generation) {
                idle.offer(instance);
            }
            permits.release();
        }
    }

    /**
     * A fresh instance. Each gets its own host function: Extism binds a host function to the first instance it
     * serves, so a shared one would read the memory of the wrong instance.
     */
    private Plugin newInstance() {
        ExtismHostFunction hostCall = ExtismHostFunction.of("extism:host/user", "host_call",
                (current, params, results) -> {
                    String name = current.memory().readString(params.getLong(0));
                    String args = current.memory().readString(params.getLong(1));
                    results.setLong(0, current.memory().writeString(hostCall(name, args)));
                }, List.of(ExtismValType.I64, ExtismValType.I64), List.of(ExtismValType.I64));
        return Plugin.ofManifest(Manifest.ofWasms(ManifestWasm.fromBytes(module).build()).withOptions(options)
                .build()).withHostFunctions(hostCall).build();
    }

    private static boolean interruptedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t.getClass().getSimpleName().contains("Interrupted")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "stack overflow";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    /** An error the plugin set: {@code {"code","message"}} or plain text. */
    private static PluginCallException pluginError(String error) {
        String text = error == null ? "" : error.trim();
        if (text.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(text);
                if (node.hasNonNull("message")) {
                    return new PluginCallException(node.path("code").asText("plugin_error"),
                            node.path("message").asText());
                }
            } catch (java.io.IOException notJson) {
                // plain text after all
            }
        }
        return new PluginCallException("plugin_error", text.isEmpty() ? "The plugin reported an error" : text);
    }

    /** The {@code host_call} import: one dispatcher for every call, answered as an envelope the guest can read. */
    private String hostCall(String name, String args) {
        CallGuard guard = current.get();
        if (guard != null && !guard.enterHost()) {
            throw new IllegalStateException("call timed out");
        }
        ObjectNode answer = JSON.createObjectNode();
        try {
            HostApi api = host;
            if (api == null) {
                throw new HostCallException("not_loaded", "The plugin is not loaded");
            }
            String result = api.call(name, args);
            answer.set("result", result == null || result.isBlank() ? JSON.nullNode() : JSON.readTree(result));
        } catch (HostCallException e) {
            ObjectNode error = answer.putObject("error");
            error.put("code", e.code());
            error.put("message", e.getMessage());
        } catch (java.io.IOException e) {
            ObjectNode error = answer.putObject("error");
            error.put("code", "host_error");
            error.put("message", "The host answered something that is not JSON");
        } finally {
            if (guard != null && !guard.leaveHost()) {
                Thread.currentThread().interrupt();
            }
        }
        return answer.toString();
    }
}
