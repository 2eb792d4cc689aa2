/**
 * The GoatFlow plugin SDK. Pre-1.0: the plugin platform issue shapes the manifest model and the host API;
 * from 1.0 on this package follows semantic versioning and the build baselines it.
 */
@Version("0.4.0")
package io.goatflow.plugin.api;

import org.osgi.annotation.versioning.Version;
