package io.goatflow.securesettings.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of an installation: one current key, which seals every new value, and previous keys, which only open
 * values sealed before a rotation. Immutable: a configuration change builds a new ring.
 */
final class SecureKeyRing {
    private final SecureKey current;
    /** By id, current first; a previous key equal to the current one (or to another) is kept once. */
    private final Map<String, SecureKey> byId;

    SecureKeyRing(SecureKey current, List<SecureKey> previous) {
        this.current = current;
        Map<String, SecureKey> keys = new LinkedHashMap<>();
        keys.put(current.id(), current);
        for (SecureKey key : previous) {
            keys.putIfAbsent(key.id(), key);
        }
        this.byId = Collections.unmodifiableMap(keys);
    }

    SecureKey current() {
        return current;
    }

    Optional<SecureKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Ids of the previous keys (without the current one), in configuration order. */
    List<String> previousIds() {
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.remove(current.id());
        return List.copyOf(ids);
    }

    boolean knows(String id) {
        return byId.containsKey(id);
    }

    @Override
    public String toString() {
        return "SecureKeyRing[current=" + current.id() + ", previous=" + previousIds() + "]";
    }
}
