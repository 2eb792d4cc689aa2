package io.goatflow.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DomainEventsTest {
    @Test
    void dottedTypesBecomeTopics() {
        assertEquals("goatflow/ticket/created", DomainEvents.topicOf("ticket.created"));
        assertEquals("goatflow/entity/soft_deleted", DomainEvents.topicOf("entity.soft_deleted"));
    }

    @Test
    void malformedTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DomainEvents.topicOf("created"));
        assertThrows(IllegalArgumentException.class, () -> DomainEvents.topicOf("ticket/created"));
        assertThrows(IllegalArgumentException.class, () -> DomainEvents.topicOf(null));
    }
}
