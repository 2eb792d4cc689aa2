/**
 * The help desk core as a service for other bundles (web console, plugins, MCP): tickets, articles, attachments
 * and their history, always on behalf of a {@link io.goatflow.rest.Caller} whose permissions apply. A ticket the
 * caller may not see does not exist for them.
 */
@Version("1.3.0")
package io.goatflow.tickets;

import org.osgi.annotation.versioning.Version;
