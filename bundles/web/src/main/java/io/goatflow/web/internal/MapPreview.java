package io.goatflow.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SVG preview of a point or polygon value, drawn on the server: the shape on a graticule around it, with
 * the coordinates at the corners. No map tiles are fetched (nothing leaves the browser, and the CSP allows none).
 */
final class MapPreview {
    private static final int W = 240;
    private static final int H = 140;

    private MapPreview() {
    }

    /** The SVG markup, or null when the value has no position. Only numbers go into it. */
    static String svg(String type, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        List<double[]> points = new ArrayList<>();
        if (("point".equals(type) || "address".equals(type)) && value.path("lat").isNumber()) {
            points.add(new double[] {value.path("lng").asDouble(), value.path("lat").asDouble()});
        } else if ("polygon".equals(type)) {
            value.path("coordinates").path(0).forEach(p -> points.add(new double[] {p.path(0).asDouble(),
                p.path(1).asDouble()}));
        }
        if (points.isEmpty()) {
            return null;
        }
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] p : points) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double span = Math.max(Math.max(maxX - minX, maxY - minY), 0.01) * 1.4;
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        double scale = Math.min(W, H) / span;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" class=\"gf-map\" role=\"img\">");
        for (int i = 1; i < 4; i++) {
            svg.append("<line x1=\"").append(W * i / 4).append("\" y1=\"0\" x2=\"").append(W * i / 4)
                    .append("\" y2=\"").append(H).append("\" class=\"gf-map-grid\"/>");
            svg.append("<line x1=\"0\" y1=\"").append(H * i / 4).append("\" x2=\"").append(W).append("\" y2=\"")
                    .append(H * i / 4).append("\" class=\"gf-map-grid\"/>");
        }
        if (points.size() == 1) {
            double[] p = points.get(0);
            svg.append("<circle cx=\"").append(x(p[0], cx, scale)).append("\" cy=\"").append(y(p[1], cy, scale))
                    .append("\" r=\"6\" class=\"gf-map-shape\"/>");
        } else {
            svg.append("<polygon points=\"");
            for (double[] p : points) {
                svg.append(x(p[0], cx, scale)).append(',').append(y(p[1], cy, scale)).append(' ');
            }
            svg.append("\" class=\"gf-map-shape\"/>");
        }
        svg.append("<text x=\"4\" y=\"").append(H - 4).append("\" class=\"gf-map-label\">")
                .append(String.format(Locale.ROOT, "%.4f, %.4f", cy, cx)).append("</text></svg>");
        return svg.toString();
    }

    private static String x(double lng, double cx, double scale) {
        return String.format(Locale.ROOT, "%.1f", W / 2.0 + (lng - cx) * scale);
    }

    private static String y(double lat, double cy, double scale) {
        return String.format(Locale.ROOT, "%.1f", H / 2.0 - (lat - cy) * scale);
    }
}
