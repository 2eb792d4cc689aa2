package io.goatflow.pluginhost.internal;

import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.rest.Caller;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What loaded, enabled plugins add to GoatFlow beyond routes: dashboard widgets, menu items and cascade handlers,
 * with their texts translated for the caller. Everything is read from the current manifests on each request, so
 * enabling, disabling, replacing or unloading a plugin changes the answer at once and on every instance (the
 * enabled flag lives in the database); there is no second copy to fall out of step.
 */
@Component(service = PluginContributions.class)
public final class PluginContributions {
    private static final Comparator<Map<String, Object>> BY_ORDER = Comparator
            .comparing((Map<String, Object> m) -> (Integer) m.get("order"))
            .thenComparing(m -> (String) m.get("plugin"))
            .thenComparing(m -> (String) m.get("id"));

    private final PluginHost host;
    private final PluginGateway gateway;

    @Activate
    public PluginContributions(@Reference PluginHost host, @Reference PluginGateway gateway) {
        this.host = host;
        this.gateway = gateway;
    }

    /** Whether the caller may see a widget shown at {@code location}: admin home is for admins, the rest agents. */
    static boolean visible(PluginManifest.Widget widget, Caller caller) {
        return caller.isAgent() && (!"admin_home".equals(widget.location()) || caller.admin());
    }

    /** Widgets of usable plugins the caller may see, at {@code location} (all locations when null), in order. */
    List<Map<String, Object>> widgets(Caller caller, String location, String language) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginHost.Entry e : usable(caller)) {
            for (PluginManifest.Widget w : e.manifest.widgets()) {
                if (visible(w, caller) && (location == null || location.equals(w.location()))) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("plugin", e.name);
                    v.put("id", w.id());
                    v.put("title", PluginTranslations.text(e.manifest, w.title(), language));
                    v.put("description", PluginTranslations.text(e.manifest, w.description(), language));
                    v.put("location", w.location() == null ? "dashboard" : w.location());
                    v.put("size", w.size() == null ? "medium" : w.size());
                    v.put("order", w.order() == null ? 100 : w.order());
                    v.put("refreshable", Boolean.TRUE.equals(w.refreshable()));
                    v.put("refresh_sec", w.refreshSec());
                    v.put("url", "/api/v1/plugins/" + e.name + "/widgets/" + w.id());
                    out.add(v);
                }
            }
        }
        out.sort(BY_ORDER);
        return out;
    }

    /** A widget of a usable plugin the caller may see. */
    Optional<PluginManifest.Widget> widget(PluginHost.Entry entry, String id, Caller caller) {
        return entry.manifest.widgets().stream().filter(w -> w.id().equals(id) && visible(w, caller)).findFirst();
    }

    /**
     * Menu items of usable plugins for {@code location} (admin, agent or customer), translated, children nested and
     * ordered. Admin menus are for admins, agent menus for agents, customer menus for customers.
     */
    List<Map<String, Object>> menu(Caller caller, String location, String language) {
        boolean allowed = switch (location) {
            case "admin" -> caller.admin();
            case "agent" -> caller.isAgent();
            case "customer" -> caller.isCustomer();
            default -> false;
        };
        List<Map<String, Object>> out = new ArrayList<>();
        if (!allowed) {
            return out;
        }
        for (PluginHost.Entry e : usable(caller)) {
            for (PluginManifest.MenuItem item : e.manifest.menuItems()) {
                if (location.equals(item.location())) {
                    out.add(menuItem(e, item, language));
                }
            }
        }
        out.sort(BY_ORDER);
        return out;
    }

    private static Map<String, Object> menuItem(PluginHost.Entry e, PluginManifest.MenuItem item, String language) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("plugin", e.name);
        v.put("id", item.id());
        v.put("label", PluginTranslations.text(e.manifest, item.label(), language));
        v.put("icon", item.icon());
        v.put("path", item.path());
        v.put("parent", item.parent());
        v.put("order", item.order() == null ? 100 : item.order());
        List<Map<String, Object>> children = new ArrayList<>();
        if (item.children() != null) {
            item.children().forEach(c -> children.add(menuItem(e, c, language)));
        }
        children.sort(BY_ORDER);
        v.put("children", children);
        return v;
    }

    /**
     * Cascade handlers of usable plugins for an entity type (every type when null): the functions the deletion area
     * calls when such an entity is soft- or hard-deleted.
     */
    List<Map<String, Object>> cascades(String entityType) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PluginHost.Entry e : usable()) {
            for (PluginManifest.Cascade c : e.manifest.cascades()) {
                if (entityType == null || entityType.equals(c.entityType())) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("plugin", e.name);
                    v.put("entity_type", c.entityType());
                    v.put("on_soft_delete", c.onSoftDelete());
                    v.put("on_hard_delete", c.onHardDelete());
                    out.add(v);
                }
            }
        }
        return out;
    }

    private List<PluginHost.Entry> usable() {
        return host.list().stream().filter(e -> e.status == PluginHost.Status.LOADED && host.enabled(e.name))
                .toList();
    }

    /** Usable plugins the caller's organisation may use. */
    private List<PluginHost.Entry> usable(Caller caller) {
        return usable().stream().filter(e -> gateway.mayUse(caller, e.name)).toList();
    }
}
