package io.goatflow.events;

import java.util.Locale;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Publishes domain events. An event has a dotted type ({@code config.changed}) and a small JSON-friendly payload;
 * it is delivered asynchronously through EventAdmin on topic {@code goatflow/config/changed}, so a subscriber
 * registers an {@code EventHandler} with {@code event.topics=goatflow/*} (or a narrower topic).
 */
@ProviderType
public interface DomainEvents {
    String TOPIC_PREFIX = "goatflow/";
    /** Event property holding the dotted type. */
    String TYPE = "type";
    /** Event property holding the payload map. */
    String DATA = "data";
    /** Event property holding the ISO-8601 time the event happened. */
    String OCCURRED_AT = "occurred_at";

    /** Publishes {@code type} with {@code data} (values: strings, numbers, booleans, lists, maps). */
    void publish(String type, Map<String, Object> data);

    /** The EventAdmin topic of a dotted event type: {@code ticket.created} becomes {@code goatflow/ticket/created}. */
    static String topicOf(String type) {
        if (type == null || !type.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
            throw new IllegalArgumentException("Event type must be dotted lower case, like ticket.created: " + type);
        }
        return TOPIC_PREFIX + type.toLowerCase(Locale.ROOT).replace('.', '/');
    }
}
