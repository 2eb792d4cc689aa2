package io.goatflow.customfields.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.customfields.EntityAccess;
import io.goatflow.persistence.Database;
import io.goatflow.rest.Caller;
import java.util.Collection;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Access to the custom fields of organisations (read in the organisation one acts in, changed by administrators); the rules are in {@link DirectoryFieldAccess}. */
@Component(service = EntityAccess.class, property = EntityAccess.ENTITY_TYPE + "=organisation")
public final class OrganisationFieldAccess implements EntityAccess {
    private final Database database;
    private final Permissions permissions;

    @Activate
    public OrganisationFieldAccess(@Reference Database database, @Reference Permissions permissions) {
        this.database = database;
        this.permissions = permissions;
    }

    @Override
    public Set<Long> readable(Caller caller, Collection<Long> ids) {
        return DirectoryFieldAccess.readable(database, permissions, DirectoryFieldAccess.Kind.ORGANISATION, caller, ids);
    }

    @Override
    public boolean writable(Caller caller, long id) {
        return DirectoryFieldAccess.writable(DirectoryFieldAccess.Kind.ORGANISATION, caller, id);
    }

    /** An organisation is the only organisation object a plugin acting for it may reach. */
    @Override
    public Set<Long> inOrganisation(long orgId, Collection<Long> ids) {
        return ids.contains(orgId) ? Set.of(orgId) : Set.of();
    }
}
