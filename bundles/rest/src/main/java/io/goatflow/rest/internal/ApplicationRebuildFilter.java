package io.goatflow.rest.internal;

import io.goatflow.rest.RestApi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Hides the moment the JAX-RS whiteboard rebuilds the application. Whenever a resource joins or leaves (an area
 * bundle starts, stops or is updated), Aries re-creates the CXF server of the whole application, and for that
 * moment every path under {@code /api} gets CXF's "No service was found" page, other areas included. CXF answers
 * that (or fails on its half-removed endpoint) before reading the request body, so the request can safely be
 * dispatched again: this filter swallows
 * that answer, waits a little and retries, and only if the application stays gone answers 503 with Retry-After.
 */
@Component(service = Filter.class, configurationPid = "io.goatflow.rest")
@HttpWhiteboardFilterPattern("/*")
// Aries mounts each JAX-RS application in a servlet context of its own ("context.for<name>", at the base path).
@HttpWhiteboardContextSelect("(&(osgi.http.whiteboard.context.name=context.for*)"
        + "(osgi.http.whiteboard.context.path=" + RestApi.BASE_PATH + "))")
public final class ApplicationRebuildFilter implements Filter {
    private static final long RETRY_INTERVAL_MS = 25;
    private static final long GIVE_UP_AFTER_MS = 3000;
    private final int retryAfterSeconds;

    @Activate
    public ApplicationRebuildFilter(RestConfig config) {
        this.retryAfterSeconds = Math.max(1, config.retry_after_seconds());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse http)) {
            chain.doFilter(request, response);
            return;
        }
        long deadline = System.currentTimeMillis() + GIVE_UP_AFTER_MS;
        while (true) {
            NoServiceDetector detector = new NoServiceDetector(http);
            try {
                chain.doFilter(request, detector);
            } catch (RuntimeException e) {
                if (http.isCommitted() || !destinationTornDown(e)) {
                    throw e;
                }
                detector.noService = true;
            }
            if (!detector.noService) {
                return;
            }
            http.reset();
            if (System.currentTimeMillis() >= deadline) {
                http.setStatus(503);
                http.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
                http.setContentType("application/json");
                http.setCharacterEncoding("UTF-8");
                http.getOutputStream().write(("{\"success\":false,\"error\":{\"code\":\"SERVICE_RESTARTING\","
                        + "\"message\":\"The API is restarting; try again shortly\"}}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            try {
                Thread.sleep(RETRY_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServletException("interrupted while the API was restarting", e);
            }
        }
    }

    /**
     * The other face of a rebuild: CXF still finds the old endpoint, whose message observer is already gone, and
     * fails before it reads anything of the request.
     */
    static boolean destinationTornDown(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e instanceof NullPointerException && trace.length > 0
                && "org.apache.cxf.transport.http.AbstractHTTPDestination".equals(trace[0].getClassName());
    }

    /**
     * Passes everything through except CXF's own 404 page (text/html; GoatFlow's 404s are JSON), whose body it
     * discards so the response stays uncommitted and can be reset.
     */
    static final class NoServiceDetector extends HttpServletResponseWrapper {
        private int status = 200;
        boolean noService;

        NoServiceDetector(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc) throws IOException {
            sendError(sc, null);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            if (sc == 404) {
                noService = true;
                status = sc;
                return;
            }
            super.sendError(sc, msg);
        }

        private boolean cxfNotFound() {
            String type = getContentType();
            return status == 404 && (type == null || type.startsWith("text/html"));
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (cxfNotFound()) {
                noService = true;
                return new DiscardingStream();
            }
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (cxfNotFound()) {
                noService = true;
                return new PrintWriter(Writer.nullWriter());
            }
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!noService) {
                super.flushBuffer();
            }
        }
    }

    private static final class DiscardingStream extends ServletOutputStream {
        private final OutputStream sink = OutputStream.nullOutputStream();

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            // writes complete at once
        }

        @Override
        public void write(int b) throws IOException {
            sink.write(b);
        }
    }
}
