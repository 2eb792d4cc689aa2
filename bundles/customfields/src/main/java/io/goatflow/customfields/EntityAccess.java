package io.goatflow.customfields;

import io.goatflow.rest.Caller;
import java.util.Collection;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service through which the area that owns an entity type says who may see and change the custom
 * fields of its objects; registered with {@value #ENTITY_TYPE} naming the type ({@code ticket}, {@code queue}, …).
 * Custom fields of a type no service answers for are unavailable (503), so an area being swapped never exposes its
 * objects' fields without its rules.
 */
@ConsumerType
public interface EntityAccess {
    String ENTITY_TYPE = "goatflow.customfields.entity";

    /**
     * Of {@code ids}, those that exist and the caller may see. A null caller is the platform itself (plugin host
     * calls): every id that exists.
     */
    Set<Long> readable(Caller caller, Collection<Long> ids);

    /** Whether the caller may change the custom fields of this object (which exists and is readable). */
    boolean writable(Caller caller, long id);

    /**
     * Of {@code ids}, those that belong to the organisation (0: to none). Plugins act for one organisation and see
     * only its objects; types every organisation shares (agents, contacts, groups, queues) keep all ids.
     */
    default Set<Long> inOrganisation(long orgId, Collection<Long> ids) {
        return Set.copyOf(ids);
    }
}
