package io.goatflow.wasm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.goatflow.wasm} (etc/io.goatflow.wasm.cfg). */
@ObjectClassDefinition(name = "GoatFlow WASM plugin runtime")
public @interface WasmRuntimeConfig {
    @AttributeDefinition(description = "Directory of .wasm plugins; empty means <karaf.base>/plugins")
    String directory() default "";

    @AttributeDefinition(description = "How often the directory is checked for new, changed or removed modules")
    long scan_interval_ms() default 2000;

    @AttributeDefinition(description = "Instances per plugin that may run calls at the same time")
    int pool_size() default 4;

    @AttributeDefinition(description = "Longest a call may run before it is stopped")
    long call_timeout_ms() default 30_000;

    @AttributeDefinition(description = "Longest the manifest export (gk_register) may run")
    long init_timeout_ms() default 10_000;

    @AttributeDefinition(description = "Largest linear memory of a plugin, in 64 KiB pages (256 = 16 MiB)")
    int memory_max_pages() default 256;

    @AttributeDefinition(description = "Compile modules to JVM bytecode (faster calls, slower load)")
    boolean aot() default true;

    @AttributeDefinition(description = "Largest module accepted, in bytes")
    long max_module_bytes() default 32L * 1024 * 1024;
}
