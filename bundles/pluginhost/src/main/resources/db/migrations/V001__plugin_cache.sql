-- Plugin cache (cache_get/cache_set/cache_delete): shared by every instance, keys prefixed plugin:<name>:
CREATE TABLE gk_plugin_cache (
    cache_key VARCHAR(500) NOT NULL PRIMARY KEY,
    plugin VARCHAR(200) NOT NULL,
    cache_value TEXT NOT NULL,
    expires_at TIMESTAMP NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX gk_plugin_cache_plugin ON gk_plugin_cache (plugin);
