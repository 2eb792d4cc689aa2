package io.goatflow.plugin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A convenient base for plugins written in Java: declare the manifest, register a handler per function with
 * {@link #handle}, and use {@link #host()} for host calls. Register the subclass as an OSGi service of type
 * {@link GoatPlugin} (for example with {@code @Component(service = GoatPlugin.class)}).
 */
public abstract class BundlePlugin implements GoatPlugin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** A function of the plugin: JSON object arguments in, any JSON-writable value out. */
    @FunctionalInterface
    public interface Function {
        Object apply(Map<String, Object> args) throws PluginCallException;
    }

    private final Map<String, Function> functions = new ConcurrentHashMap<>();
    private volatile HostApi host;

    /** The manifest; its handlers should name functions registered with {@link #handle}. */
    protected abstract PluginManifest manifest();

    /** Registers the function behind a handler name. */
    protected final void handle(String name, Function function) {
        functions.put(name, function);
    }

    /** The host API given at {@link #init}; calling it earlier is a programming error. */
    protected final HostApi host() {
        HostApi current = host;
        if (current == null) {
            throw new IllegalStateException("The host API is available from init() on");
        }
        return current;
    }

    @Override
    public final String manifestJson() {
        return Manifests.toJson(manifest());
    }

    @Override
    public void init(HostApi hostApi) {
        this.host = hostApi;
    }

    @Override
    public String call(String function, String jsonArgs) throws PluginCallException {
        if (HEALTH_PING.equals(function) && !functions.containsKey(HEALTH_PING)) {
            return "{\"ok\":true}";
        }
        Function f = functions.get(function);
        if (f == null) {
            throw new PluginCallException("unknown_function", "No function '" + function + "'");
        }
        Map<String, Object> args;
        try {
            args = jsonArgs == null || jsonArgs.isBlank() ? Map.of() : JSON.readValue(jsonArgs, OBJECT);
        } catch (JsonProcessingException e) {
            throw new PluginCallException("invalid_arguments", "Arguments must be a JSON object");
        }
        Object result = f.apply(args == null ? Map.of() : args);
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new PluginCallException("invalid_result", "The result cannot be written as JSON");
        }
    }
}
