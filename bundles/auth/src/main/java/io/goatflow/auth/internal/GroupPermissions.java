package io.goatflow.auth.internal;

import io.goatflow.auth.Permissions;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.SchemaReady;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Reads permissions from the database on every call, so a change made on any instance applies at once. */
@Component(service = Permissions.class)
public final class GroupPermissions implements Permissions {
    private final Database database;

    @Activate
    public GroupPermissions(@Reference Database database,
            @Reference(target = "(" + SchemaReady.BUNDLE_PROPERTY + "=io.goatflow.auth)") SchemaReady schema) {
        this.database = database;
    }

    @Override
    public Set<Long> groupsWith(long agentId, String permission) {
        if (!KEYS.contains(permission)) {
            throw new IllegalArgumentException("Unknown permission key " + permission);
        }
        return groupsByPermission(agentId).get(permission);
    }

    @Override
    public Map<String, Set<Long>> groupsByPermission(long agentId) {
        return database.inTransaction(c -> {
            Map<String, Set<Long>> result = new HashMap<>();
            for (String key : KEYS) {
                result.put(key, new HashSet<>());
            }
            try (PreparedStatement q = c.prepareStatement("SELECT gu.group_id, gu.permission_key FROM group_user gu"
                    + " JOIN groups g ON g.id = gu.group_id JOIN users u ON u.id = gu.user_id"
                    + " WHERE gu.user_id = ? AND g.valid_id = 1 AND u.valid_id = 1"
                    + " UNION SELECT gr.group_id, gr.permission_key FROM group_role gr"
                    + " JOIN role_user ru ON ru.role_id = gr.role_id JOIN roles r ON r.id = gr.role_id"
                    + " JOIN groups g ON g.id = gr.group_id JOIN users u ON u.id = ru.user_id"
                    + " WHERE ru.user_id = ? AND gr.permission_value = 1 AND r.valid_id = 1 AND g.valid_id = 1"
                    + " AND u.valid_id = 1")) {
                q.setLong(1, agentId);
                q.setLong(2, agentId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long group = rs.getLong(1);
                        String key = rs.getString(2);
                        if (RW.equals(key)) {
                            result.values().forEach(groups -> groups.add(group));
                        } else if (result.containsKey(key)) {
                            result.get(key).add(group);
                        }
                    }
                }
            }
            Map<String, Set<Long>> frozen = new HashMap<>();
            result.forEach((key, groups) -> frozen.put(key, Set.copyOf(groups)));
            return Map.copyOf(frozen);
        });
    }

    @Override
    public boolean hasInGroupNamed(long agentId, String groupName, String permission) {
        Set<Long> groups = groupsWith(agentId, permission);
        if (groups.isEmpty()) {
            return false;
        }
        Long id = database.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM groups WHERE name = ? AND valid_id = 1")) {
                q.setString(1, groupName);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        return id != null && groups.contains(id);
    }
}
