/**
 * Custom fields on every entity: definitions (admin- or plugin-owned), typed values with server-side validation,
 * queries by field filters, atomic operations, and the {@link io.goatflow.customfields.EntityAccess} whiteboard
 * through which the area that owns an entity type decides who may read and change its fields.
 */
@Version("1.2.0")
package io.goatflow.customfields;

import org.osgi.annotation.versioning.Version;
