package io.goatflow.customfields.internal;

import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which of some objects belong to one organisation, by a select ending in {@code IN (} run over chunks of ids. */
final class OrganisationFilter {
    private OrganisationFilter() {
    }

    static Set<Long> of(Database database, String selectIn, long orgId, Collection<Long> ids) {
        Set<Long> result = new HashSet<>();
        List<Long> all = new ArrayList<>(new HashSet<>(ids));
        if (all.isEmpty()) {
            return result;
        }
        database.inTransaction(c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
                List<Object> params = new ArrayList<>();
                params.add(orgId);
                params.addAll(chunk);
                try (PreparedStatement q = c.prepareStatement(selectIn
                        + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")")) {
                    Jdbc.bind(q, params);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            result.add(rs.getLong(1));
                        }
                    }
                }
            }
            return null;
        });
        return result;
    }
}
