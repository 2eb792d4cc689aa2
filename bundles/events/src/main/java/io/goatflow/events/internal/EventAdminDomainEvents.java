package io.goatflow.events.internal;

import io.goatflow.events.DomainEvents;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Domain events inside one instance, delivered asynchronously by EventAdmin. */
@Component(service = DomainEvents.class)
public final class EventAdminDomainEvents implements DomainEvents {
    private final EventAdmin eventAdmin;

    @Activate
    public EventAdminDomainEvents(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void publish(String type, Map<String, Object> data) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(TYPE, type);
        // A copy, so a publisher changing its map later cannot change a delivered event; null values allowed.
        properties.put(DATA, data == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(data)));
        properties.put(OCCURRED_AT, Instant.now().toString());
        eventAdmin.postEvent(new Event(DomainEvents.topicOf(type), properties));
    }
}
