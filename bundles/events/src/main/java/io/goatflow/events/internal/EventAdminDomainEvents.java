package io.goatflow.events.internal;

import io.goatflow.events.DomainEvents;
import java.time.Instant;
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
        properties.put(DATA, data == null ? Map.of() : Map.copyOf(data));
        properties.put(OCCURRED_AT, Instant.now().toString());
        eventAdmin.postEvent(new Event(DomainEvents.topicOf(type), properties));
    }
}
