package io.goatflow.organisations;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** An organisation (tenant). {@code status} is active, suspended or archived; only active ones can be used. */
public record Organisation(long id, String name, String slug,
        @JsonProperty("parent_id") Long parentId,
        String status,
        @JsonProperty("customer_company_id") String customerCompanyId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("changed_at") Instant changedAt) {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";
    public static final String ARCHIVED = "archived";

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
