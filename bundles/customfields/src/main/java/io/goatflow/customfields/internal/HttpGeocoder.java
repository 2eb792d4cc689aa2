package io.goatflow.customfields.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geocoding through a Nominatim-compatible search service (a JSON array of {@code {"lat","lon"}}). Off unless the
 * configuration {@code io.goatflow.customfields.geocoding} exists: nothing leaves the server by default. A failure
 * never blocks saving; the address is then stored without a position.
 */
@Component(service = Geocoder.class, configurationPid = "io.goatflow.customfields.geocoding",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HttpGeocoder.Config.class)
public final class HttpGeocoder implements Geocoder {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGeocoder.class);

    @ObjectClassDefinition(name = "GoatFlow address geocoding",
            description = "Where address custom fields (with geocode enabled) look up positions")
    public @interface Config {
        @AttributeDefinition(description = "Search URL with {query} for the address, for example"
                + " https://nominatim.example.org/search?format=json&limit=1&q={query}")
        String url();

        @AttributeDefinition(description = "Seconds to wait for an answer")
        int timeout_seconds() default 5;

        @AttributeDefinition(description = "User-Agent sent to the provider (public services require one)")
        String user_agent() default "GoatFlow";
    }

    private final String url;
    private final Duration timeout;
    private final String userAgent;
    private final HttpClient http;

    @Activate
    public HttpGeocoder(Config config) {
        this.url = config.url();
        this.timeout = Duration.ofSeconds(Math.max(1, config.timeout_seconds()));
        this.userAgent = config.user_agent();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<Geo.Point> locate(String address) {
        if (url == null || url.isBlank() || !url.contains("{query}")) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(url.replace("{query}", URLEncoder.encode(address, StandardCharsets.UTF_8)));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("User-Agent", userAgent).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("Geocoding answered HTTP {}", response.statusCode());
                return Optional.empty();
            }
            JsonNode hits = ValueCodec.JSON.readTree(response.body());
            if (!hits.isArray() || hits.isEmpty()) {
                return Optional.empty();
            }
            JsonNode first = hits.get(0);
            return Optional.of(Geo.checked(first.path("lat").asDouble(Double.NaN),
                    first.path("lon").asDouble(first.path("lng").asDouble(Double.NaN))));
        } catch (IOException | InvalidValue | IllegalArgumentException e) {
            LOG.warn("Geocoding failed: {}", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
