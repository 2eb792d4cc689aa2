package io.goatflow.auth.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A component property type with its declared defaults, some of them overridden, as DS would build it. */
final class ConfigDefaults {
    private ConfigDefaults() {
    }

    static <A> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            return overrides.containsKey(method.getName()) ? overrides.get(method.getName()) : method.getDefaultValue();
        }));
    }
}
