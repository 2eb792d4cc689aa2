package io.goatflow.rest;

/** Names that tie a bundle's JAX-RS resources and extensions to GoatFlow's application. */
public final class RestApi {
    /** {@code osgi.jaxrs.name} of the application; resources select it with {@link #APPLICATION_SELECT}. */
    public static final String APPLICATION_NAME = "goatflow";
    /** Filter for {@code @JaxrsApplicationSelect}. */
    public static final String APPLICATION_SELECT = "(osgi.jaxrs.name=" + APPLICATION_NAME + ")";
    /** Where the application is mounted; resource paths are relative to it ({@code v1/...}). */
    public static final String BASE_PATH = "/api";
    /**
     * Manifest header listing the path prefixes a bundle serves (for example {@code /api/v1/admin/sysconfig}).
     * While such a bundle is stopped or restarting, requests under its prefixes get 503 with Retry-After
     * instead of 404.
     */
    public static final String ROUTES_HEADER = "GoatFlow-Routes";
    /** Largest page a list endpoint returns. */
    public static final int MAX_PER_PAGE = 100;

    private RestApi() {
    }
}
