package io.goatflow.customfields;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Ids of the matching objects in ascending order, at most the limit asked for; {@code truncated} when more match. */
public record QueryResult(@JsonProperty("entity_type") String entityType, List<Long> ids, boolean truncated) {
}
