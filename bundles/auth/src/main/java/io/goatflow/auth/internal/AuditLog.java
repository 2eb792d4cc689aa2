package io.goatflow.auth.internal;

import io.goatflow.persistence.Jdbc;
import io.goatflow.rest.Caller;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code admin_action_log}: what an administrator did to someone else's account. Written in the same transaction
 * as the change itself, so there is never a change without its entry (or an entry without its change).
 */
final class AuditLog {
    private AuditLog() {
    }

    /** {@code actorId} is the administrator's agent id, or 0 for the Karaf shell (named in {@code detail}). */
    static void record(Connection c, long actorId, String action, Caller.Kind targetKind, long targetId,
            String detail, String clientIp) throws SQLException {
        Jdbc.insert(c, "INSERT INTO admin_action_log (actor_id, action, target_kind, target_id, detail, client_ip,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", Jdbc.params(actorId, action,
                        targetKind.name().toLowerCase(Locale.ROOT), targetId,
                        DatabaseLoginSessions.truncate(detail, 1000), DatabaseLoginSessions.truncate(clientIp, 64),
                        Instant.now()));
    }

}
