package io.goatflow.pluginhost.internal;

import io.goatflow.plugin.api.GoatPlugin;
import io.goatflow.plugin.api.HostApi;
import io.goatflow.plugin.api.ManifestException;
import io.goatflow.plugin.api.Manifests;
import io.goatflow.plugin.api.PluginCallException;
import io.goatflow.plugin.api.PluginManifest;
import io.goatflow.mail.MailSender;
import io.goatflow.persistence.Database;
import io.goatflow.sysconfig.ConfigGet;
import io.goatflow.sysconfig.ConfigSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import io.goatflow.customfields.CustomFieldService;
import io.goatflow.organisations.Organisations;
import io.goatflow.rest.Caller;
import io.goatflow.securesettings.SecureSettings;
import io.goatflow.customfields.FieldInput;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin host: every {@link GoatPlugin} service is discovered through the whiteboard, its manifest validated,
 * the set ordered by {@code requires} ({@link LoadOrder}), and each plugin initialised with its own host API once
 * everything it needs is loaded. A plugin whose bundle stops is shut down and removed, and plugins that need it
 * stop with it. Whether a plugin is enabled is the setting {@code Plugin::<name>::Enabled} (database, so every
 * instance agrees and it survives restarts).
 */
@Component(service = PluginHost.class, immediate = true)
public final class PluginHost implements HostCallDispatcher.Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    /** Where a discovered plugin stands. */
    enum Status { LOADED, REFUSED, INVALID }

    /** One discovered plugin. */
    static final class Entry {
        final GoatPlugin plugin;
        final long serviceId;
        final String bundle;
        /** The bundle that registered the plugin, and the runtime ({@code bundle} or {@code wasm}). */
        long bundleId = -1;
        String runtime = "bundle";
        final PluginManifest manifest;
        final String name;
        volatile Status status;
        volatile String reason;
        volatile boolean initialised;

        Entry(GoatPlugin plugin, long serviceId, String bundle, PluginManifest manifest, String name, Status status,
                String reason) {
            this.plugin = plugin;
            this.serviceId = serviceId;
            this.bundle = bundle;
            this.manifest = manifest;
            this.name = name;
            this.status = status;
            this.reason = reason;
        }
    }

    private final BundleContext context;
    private final ConfigGet config;
    private final ConfigSet settings;
    private final PluginLogs logs = new PluginLogs();
    private final HostCallDispatcher dispatcher;
    /** Valid plugins by name, and invalid ones by a synthetic key; guarded by {@code this}. */
    private final Map<String, Entry> entries = new TreeMap<>();
    private volatile boolean active;
    /** Outgoing mail, when the mail area is installed; plugins' send_email is not available without it. */
    private volatile MailSender mail;
    /** Custom fields, when that area runs; manifests' fields are declared when it (re)appears. */
    private volatile CustomFieldService customFields;
    /** Organisations, when that area runs: nested plugin calls inside an organisation are refused without it. */
    private volatile Organisations organisations;
    /** Encrypted settings, when that area runs; secure_config_get/set are not available without it. */
    private volatile SecureSettings secureSettings;

    @Activate
    public PluginHost(BundleContext context, @Reference ConfigGet config, @Reference ConfigSet settings,
            @Reference Database database) {
        this.context = context;
        this.config = config;
        this.settings = settings;
        this.dispatcher = new HostCallDispatcher(logs, () -> this.config, this, database, () -> this.mail,
                () -> this.customFields, () -> this.secureSettings);
        settings.define(HostCallDispatcher.EMAIL_LIMIT_SETTING, "Messages a minute each plugin may send with"
                + " send_email (all instances together).", "Plugins", HostCallDispatcher.EMAIL_PER_MINUTE);
        synchronized (this) {
            active = true;
            reorder();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        for (Entry e : entries.values()) {
            shutdown(e);
        }
        entries.clear();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMail(MailSender sender) {
        this.mail = sender;
    }

    void unsetMail(MailSender sender) {
        if (this.mail == sender) {
            this.mail = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setOrganisations(Organisations orgs) {
        this.organisations = orgs;
    }

    void unsetOrganisations(Organisations orgs) {
        if (this.organisations == orgs) {
            this.organisations = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSecureSettings(SecureSettings secure) {
        this.secureSettings = secure;
    }

    void unsetSecureSettings(SecureSettings secure) {
        if (this.secureSettings == secure) {
            this.secureSettings = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCustomFields(CustomFieldService fields) {
        this.customFields = fields;
        synchronized (this) {
            entries.values().stream().filter(e -> e.status == Status.LOADED).forEach(this::declareFields);
        }
    }

    void unsetCustomFields(CustomFieldService fields) {
        if (this.customFields == fields) {
            this.customFields = null;
        }
    }

    /** Applies the manifest's custom fields (and hides the plugin's fields it no longer declares). */
    private void declareFields(Entry e) {
        CustomFieldService fields = customFields;
        if (fields == null || e.manifest == null) {
            return;
        }
        List<FieldInput> declared = e.manifest.customFields().stream().map(f -> new FieldInput(f.entityType(),
                f.name(), f.label(), f.fieldType(), f.section(), f.order(), f.required(), null, f.description(),
                f.placeholder(), f.config(), true)).toList();
        try {
            for (String problem : fields.declare(e.name, declared)) {
                logs.add(e.name, "warn", problem);
            }
        } catch (RuntimeException ex) {
            logs.add(e.name, "error", "custom fields not applied: " + ex.getMessage());
            LOG.warn("Custom fields of plugin {} not applied: {}", e.name, ex.getMessage());
        }
    }

    @Reference(service = GoatPlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    synchronized void addPlugin(GoatPlugin plugin, Map<String, Object> properties) {
        long serviceId = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        String bundle = String.valueOf(properties.getOrDefault("component.name", "service " + serviceId));
        PluginManifest manifest;
        try {
            manifest = Manifests.parse(plugin.manifestJson());
        } catch (ManifestException | RuntimeException e) {
            String key = "invalid-" + serviceId;
            Entry invalid = new Entry(plugin, serviceId, bundle, null, key, Status.INVALID, e.getMessage());
            invalid.runtime = "wasm".equals(properties.get("goatflow.plugin.runtime")) ? "wasm" : "bundle";
            entries.put(key, invalid);
            logs.add(key, "error", "manifest refused: " + e.getMessage());
            LOG.warn("Plugin service {} refused: {}", serviceId, e.getMessage());
            return;
        }
        String name = manifest.name();
        if (entries.containsKey(name)) {
            String key = name + "-duplicate-" + serviceId;
            entries.put(key, new Entry(plugin, serviceId, bundle, manifest, key, Status.INVALID,
                    "another plugin named '" + name + "' is loaded"));
            LOG.warn("Plugin {} from service {} refused: the name is taken", name, serviceId);
            return;
        }
        Entry entry = new Entry(plugin, serviceId, bundle, manifest, name, Status.REFUSED, "not loaded yet");
        entry.bundleId = properties.get(Constants.SERVICE_BUNDLEID) instanceof Number n ? n.longValue() : -1;
        entry.runtime = "wasm".equals(properties.get("goatflow.plugin.runtime")) ? "wasm" : "bundle";
        entries.put(name, entry);
        if (active) {
            reorder();
        }
    }

    synchronized void removePlugin(GoatPlugin plugin, Map<String, Object> properties) {
        long serviceId = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        entries.values().removeIf(e -> {
            if (e.serviceId != serviceId) {
                return false;
            }
            shutdown(e);
            LOG.info("Plugin {} unloaded", e.name);
            return true;
        });
        if (active) {
            reorder();
        }
    }

    /** Loads what can load, in dependency order; plugins that lost a requirement are shut down. */
    private void reorder() {
        Map<String, PluginManifest> valid = new LinkedHashMap<>();
        entries.values().stream().filter(e -> e.status != Status.INVALID).forEach(e -> valid.put(e.name, e.manifest));
        LoadOrder.Result result = LoadOrder.of(valid);
        result.refused().forEach((name, reason) -> {
            Entry e = entries.get(name);
            if (e.status == Status.LOADED || !reason.equals(e.reason)) {
                logs.add(name, "error", "not loaded: " + reason);
                LOG.warn("Plugin {} not loaded: {}", name, reason);
            }
            shutdown(e);
            e.status = Status.REFUSED;
            e.reason = reason;
        });
        for (String name : result.order()) {
            Entry e = entries.get(name);
            if (e.initialised) {
                continue;
            }
            try {
                settings.define(enabledSetting(name), "Whether the plugin " + name + " is enabled.", "Plugins", true);
                declareFields(e);
                e.plugin.init(new HostApi(dispatcher.channelFor(name)));
                e.initialised = true;
                e.status = Status.LOADED;
                e.reason = null;
                logs.add(name, "info", "loaded " + e.manifest.version());
                LOG.info("Plugin {} {} loaded", name, e.manifest.version());
            } catch (RuntimeException ex) {
                e.status = Status.REFUSED;
                e.reason = "init failed: " + ex.getMessage();
                logs.add(name, "error", e.reason);
                LOG.warn("Plugin {} failed to initialise", name, ex);
            }
        }
    }

    private void shutdown(Entry e) {
        if (e.initialised) {
            e.initialised = false;
            try {
                e.plugin.shutdown();
            } catch (RuntimeException ex) {
                LOG.warn("Plugin {} failed to shut down cleanly", e.name, ex);
            }
        }
    }

    /**
     * Restarts a plugin: a WASM plugin gets fresh instances (shutdown, then init again); a bundle plugin's bundle is
     * stopped and started, which unloads and reloads it through the whiteboard.
     */
    void restart(String name) {
        Entry e = get(name).orElseThrow(() -> new IllegalArgumentException("unknown plugin " + name));
        if ("wasm".equals(e.runtime)) {
            synchronized (this) {
                shutdown(e);
                declareFields(e);
                e.plugin.init(new HostApi(dispatcher.channelFor(name)));
                e.initialised = true;
            }
            logs.add(name, "info", "restarted (new instances)");
            return;
        }
        Bundle bundle = e.bundleId < 0 ? null : context.getBundle(e.bundleId);
        if (bundle == null || bundle.getBundleId() == context.getBundle().getBundleId()) {
            throw new IllegalStateException("the bundle of plugin " + name + " cannot be restarted");
        }
        try {
            bundle.stop(Bundle.STOP_TRANSIENT);
            bundle.start(Bundle.START_TRANSIENT);
        } catch (BundleException ex) {
            throw new IllegalStateException("restarting bundle " + bundle.getSymbolicName() + " failed: "
                    + ex.getMessage(), ex);
        }
    }

    static String enabledSetting(String name) {
        return "Plugin::" + name + "::Enabled";
    }

    boolean enabled(String name) {
        return config.flag(enabledSetting(name), true);
    }

    void setEnabled(String name, boolean enabled, long userId) {
        settings.set(enabledSetting(name), enabled, userId);
        logs.add(name, "info", (enabled ? "enabled" : "disabled") + " by user " + userId);
    }

    synchronized List<Entry> list() {
        return new ArrayList<>(entries.values());
    }

    synchronized Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name)).filter(e -> e.status != Status.INVALID);
    }

    /** A loaded and enabled plugin, or empty. */
    Optional<Entry> usable(String name) {
        return get(name).filter(e -> e.status == Status.LOADED && enabled(name));
    }

    PluginLogs logs() {
        return logs;
    }

    HostCallDispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Calls a function of a loaded, enabled plugin for GoatFlow itself (health pings, administrators' diagnostics):
     * outside every organisation, allowed to change global secrets.
     */
    String callPlugin(String name, String function, String jsonArgs) throws PluginCallException {
        return callPlugin(name, function, jsonArgs, new HostCallDispatcher.CallScope(0, true));
    }

    /**
     * Calls a function of a loaded, enabled plugin on behalf of an organisation (its host calls see only that
     * organisation's rows); errors and exceptions land in the plugin's log.
     */
    String callPlugin(String name, String function, String jsonArgs, HostCallDispatcher.CallScope scope)
            throws PluginCallException {
        Entry e = usable(name).orElseThrow(() -> new PluginCallException("plugin_not_found",
                "No enabled plugin '" + name + "'"));
        try {
            return dispatcher.inScope(scope, () -> e.plugin.call(function, jsonArgs));
        } catch (PluginCallException ex) {
            logs.add(name, "warn", function + " failed: " + ex.code() + " " + ex.getMessage());
            throw ex;
        } catch (RuntimeException ex) {
            logs.add(name, "error", function + " threw " + ex);
            throw new PluginCallException("plugin_error", "The plugin failed: " + ex.getClass().getSimpleName());
        }
    }

    @Override
    public PluginPolicy policy(String plugin) {
        Entry e;
        synchronized (this) {
            e = entries.get(plugin);
        }
        return e == null || e.manifest == null ? PluginPolicy.none() : PluginPolicy.of(e.manifest);
    }

    @Override
    public synchronized PluginManifest manifest(String plugin) {
        Entry e = entries.get(plugin);
        return e == null ? null : e.manifest;
    }

    @Override
    public synchronized boolean foreignTable(String plugin, String table) {
        for (Entry e : entries.values()) {
            if (e.manifest != null && !e.name.equals(plugin) && table.startsWith(e.name.toLowerCase() + "_")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String call(String caller, String plugin, String function, String jsonArgs, int depth)
            throws PluginCallException {
        logs.add(caller, "debug", "plugin_call " + plugin + "." + function + " (depth " + depth + ")");
        // the called plugin acts for the same organisation as its caller, and only if that organisation may use it
        HostCallDispatcher.CallScope scope = dispatcher.scope();
        if (scope.orgId() > 0) {
            Organisations current = organisations;
            if (current == null || !current.mayUsePlugin(new Caller(0, "plugin:" + caller, Caller.Kind.AGENT, false, 0,
                    null, scope.orgId()), plugin)) {
                throw new PluginCallException("plugin_not_found", "No enabled plugin '" + plugin + "' for this"
                        + " organisation");
            }
        }
        return callPlugin(plugin, function, jsonArgs, scope);
    }
}
