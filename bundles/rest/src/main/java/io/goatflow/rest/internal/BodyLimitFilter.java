package io.goatflow.rest.internal;

import io.goatflow.rest.Envelope;
import io.goatflow.rest.RestApi;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Refuses bodies over {@code max.body.bytes} with 413: at once when Content-Length says so, and while reading
 * when the body is chunked, so nothing larger is ever buffered.
 */
@Component(service = ContainerRequestFilter.class, configurationPid = "io.goatflow.rest", immediate = true)
@Designate(ocd = RestConfig.class)
@JaxrsExtension
@JaxrsApplicationSelect(RestApi.APPLICATION_SELECT)
@PreMatching
public final class BodyLimitFilter implements ContainerRequestFilter {
    private final long maxBytes;
    private final long maxUploadBytes;
    private final String[] uploadPaths;

    @Activate
    public BodyLimitFilter(RestConfig config) {
        this.maxBytes = config.max_body_bytes();
        this.maxUploadBytes = Math.max(maxBytes, config.max_upload_bytes());
        this.uploadPaths = config.upload_paths() == null ? new String[0] : config.upload_paths();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long maxBytes = limitFor(request.getUriInfo().getPath());
        int declared = request.getLength();
        if (declared > maxBytes) {
            request.abortWith(tooLarge(maxBytes));
            return;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new LimitedInputStream(request.getEntityStream(), maxBytes));
        }
    }

    /** Routes that take files (attachments) get the upload limit; everything else the body limit. */
    long limitFor(String path) {
        String relative = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        for (String prefix : uploadPaths) {
            String p = prefix.trim();
            if (!p.isEmpty() && relative.startsWith(p.startsWith("/") ? p.substring(1) : p)) {
                return maxUploadBytes;
            }
        }
        return maxBytes;
    }

    static Response tooLarge(long maxBytes) {
        return Response.status(413).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Envelope.error("PAYLOAD_TOO_LARGE", "Request body is larger than " + maxBytes + " bytes"))
                .build();
    }

    /** Thrown from the body stream once the limit is passed; the exception mapper answers 413. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final long limit;

        BodyTooLargeException(long limit) {
            super("Request body is larger than " + limit + " bytes");
            this.limit = limit;
        }
    }

    static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }
    }
}
