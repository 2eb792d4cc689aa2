package io.goatflow.web.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardResource;

/** The console's CSS and scripts, built at Maven build time into the bundle's {@code static/} folder. */
@Component(service = StaticAssets.class, immediate = true)
@HttpWhiteboardResource(pattern = "/static/*", prefix = "/static")
public final class StaticAssets {
}
