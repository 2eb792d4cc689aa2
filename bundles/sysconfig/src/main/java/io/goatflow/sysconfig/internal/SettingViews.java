package io.goatflow.sysconfig.internal;

import io.goatflow.rest.ApiException;
import io.goatflow.sysconfig.Resolution;
import io.goatflow.sysconfig.Setting;
import io.goatflow.sysconfig.TierValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of settings the sysconfig resources answer with, so that every route names things alike. */
final class SettingViews {
    private static final int NAME_MAX = 250;

    private SettingViews() {
    }

    /** A name from the path; one that cannot exist is simply not found. */
    static String checkedName(String name) {
        if (name == null || name.isBlank() || name.length() > NAME_MAX) {
            throw ApiException.notFound("Setting");
        }
        return name;
    }

    static Object requireValue(ValueChange change) {
        if (change == null) {
            throw ApiException.validation("Body must be {\"value\": ...}");
        }
        return change.value();
    }

    /** A setting system-wide, as the admin list and detail show it. */
    static Map<String, Object> admin(SysconfigStore.Entry e) {
        Resolution r = e.resolution();
        Optional<TierValue> system = r.tier(Setting.Tier.SYSTEM);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", e.name());
        view.put("description", e.description());
        view.put("navigation", e.navigation());
        view.put("value", r.value());
        view.put("default_value", r.defaultValue());
        view.put("tier", r.source().id());
        view.put("source", r.source().id());
        view.put("readonly", r.readonly());
        view.put("user_modifiable", r.userModifiable());
        view.put("changed_at", system.map(TierValue::changedAt).orElse(null));
        view.put("changed_by", system.map(TierValue::changedBy).orElse(null));
        return view;
    }

    /** A user-modifiable setting as one agent sees it. */
    static Map<String, Object> forAgent(SysconfigStore.Entry e) {
        Resolution r = e.resolution();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", e.name());
        view.put("description", e.description());
        view.put("navigation", e.navigation());
        view.put("value", r.value());
        view.put("default_value", r.defaultValue());
        view.put("source", r.source().id());
        view.put("changed_at", r.tier(Setting.Tier.USER).map(TierValue::changedAt).orElse(null));
        return view;
    }

    /**
     * Where a value comes from: every tier strongest first, {@code null} for a tier that has no value (a tier whose
     * value is JSON null is {@code {"value": null}}), and the tier that wins as {@code source}.
     */
    static Map<String, Object> resolution(Resolution r) {
        Map<String, Object> tiers = new LinkedHashMap<>();
        for (Setting.Tier tier : new Setting.Tier[] {Setting.Tier.USER, Setting.Tier.ORG, Setting.Tier.SYSTEM,
                Setting.Tier.DEFAULT}) {
            tiers.put(tier.id(), r.tier(tier).map(SettingViews::tierValue).orElse(null));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", r.name());
        view.put("org_id", r.scope().orgId());
        view.put("user_id", r.scope().agentId());
        view.put("value", r.value());
        view.put("source", r.source().id());
        view.put("readonly", r.readonly());
        view.put("user_modifiable", r.userModifiable());
        view.put("tiers", tiers);
        return view;
    }

    private static Map<String, Object> tierValue(TierValue t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("value", t.value());
        view.put("changed_at", t.changedAt());
        view.put("changed_by", t.changedBy());
        return view;
    }
}
