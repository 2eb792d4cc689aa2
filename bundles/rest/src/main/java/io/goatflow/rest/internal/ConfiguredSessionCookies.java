package io.goatflow.rest.internal;

import io.goatflow.rest.Caller;
import io.goatflow.rest.SessionCookies;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session cookie policy from {@code io.goatflow.rest}. The header is written by hand because JAX-RS 2.1's
 * {@code NewCookie} cannot express SameSite.
 */
@Component(service = SessionCookies.class, configurationPid = "io.goatflow.rest")
public final class ConfiguredSessionCookies implements SessionCookies {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredSessionCookies.class);
    private static final Set<String> SAME_SITE = Set.of("Strict", "Lax", "None");

    private final boolean secure;
    private final String sameSite;

    @Activate
    public ConfiguredSessionCookies(RestConfig config) {
        String wanted = config.cookie_same_site() == null ? "" : config.cookie_same_site().trim();
        String normalised = wanted.isEmpty() ? "" : wanted.substring(0, 1).toUpperCase(Locale.ROOT)
                + wanted.substring(1).toLowerCase(Locale.ROOT);
        if (!SAME_SITE.contains(normalised)) {
            LOG.warn("cookie.same.site '{}' is not Strict, Lax or None; using Lax", wanted);
            normalised = "Lax";
        }
        boolean secureWanted = config.cookie_secure();
        if ("None".equals(normalised) && !secureWanted) {
            // Browsers drop SameSite=None cookies without Secure; keep the configuration working.
            LOG.warn("cookie.same.site=None needs Secure cookies; cookie.secure is ignored");
            secureWanted = true;
        }
        this.secure = secureWanted;
        this.sameSite = normalised;
    }

    @Override
    public String issue(Caller.Kind kind, String token, Instant expiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), expiresAt).getSeconds());
        return header(SessionCookies.cookieName(kind), token, maxAge);
    }

    @Override
    public String clear(Caller.Kind kind) {
        return header(SessionCookies.cookieName(kind), "", 0);
    }

    @Override
    public String issuePending(String token, Instant expiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), expiresAt).getSeconds());
        return header(PENDING_COOKIE, token, maxAge);
    }

    @Override
    public String clearPending() {
        return header(PENDING_COOKIE, "", 0);
    }

    @Override
    public String sessionOnly(String name, String value) {
        if (!name.matches("[A-Za-z0-9_-]{1,64}") || !value.matches("[A-Za-z0-9_.-]{0,256}")) {
            throw new IllegalArgumentException("Not a cookie-safe name or value");
        }
        return header(name, value, -1);
    }

    private String header(String name, String value, long maxAge) {
        StringBuilder b = new StringBuilder(name).append('=').append(value).append("; Path=/");
        if (maxAge >= 0) {
            b.append("; Max-Age=").append(maxAge);
        }
        b.append("; HttpOnly; SameSite=").append(sameSite);
        if (secure) {
            b.append("; Secure");
        }
        return b.toString();
    }
}
