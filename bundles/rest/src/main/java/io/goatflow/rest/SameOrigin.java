package io.goatflow.rest;

import java.net.URI;

/**
 * The one rule for writes authenticated by a browser cookie: reads are always fine; a write must not come from
 * another origin. SameSite=Lax already keeps cookies off cross-site POSTs; this also covers SameSite=None and
 * sibling subdomains. Used by the API's authentication filter and by the web console's forms.
 */
public final class SameOrigin {
    private SameOrigin() {
    }

    /**
     * Whether a request may use its cookie.
     *
     * @param method the HTTP method
     * @param origin the {@code Origin} header, or null
     * @param fetchSite the {@code Sec-Fetch-Site} header, or null
     * @param host the {@code Host} header
     */
    public static boolean allows(String method, String origin, String fetchSite, String host) {
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            return true;
        }
        if (origin == null || "null".equals(origin)) {
            // No Origin: not a browser (scripts, loopback), or an old one; a browser still tells the site.
            return origin == null && (fetchSite == null || "same-origin".equals(fetchSite) || "none".equals(fetchSite));
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(uri.getAuthority()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
