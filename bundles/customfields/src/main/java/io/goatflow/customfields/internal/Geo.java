package io.goatflow.customfields.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Points, GeoJSON polygons and distances on the sphere (kilometres). */
final class Geo {
    static final double EARTH_RADIUS_KM = 6371.0088;

    record Point(double lat, double lng) {
    }

    private Geo() {
    }

    static Point point(JsonNode node) throws InvalidValue {
        if (node == null || !node.isObject() || !node.path("lat").isNumber() || !node.path("lng").isNumber()) {
            throw new InvalidValue("must be an object {\"lat\": number, \"lng\": number}");
        }
        return checked(node.path("lat").asDouble(), node.path("lng").asDouble());
    }

    static Point checked(double lat, double lng) throws InvalidValue {
        if (!(lat >= -90 && lat <= 90)) {
            throw new InvalidValue("latitude must be between -90 and 90");
        }
        if (!(lng >= -180 && lng <= 180)) {
            throw new InvalidValue("longitude must be between -180 and 180");
        }
        return new Point(lat, lng);
    }

    /**
     * Checks a GeoJSON Polygon: closed linear rings of at least four positions {@code [lng, lat]} in range, at most
     * {@code maxVertices} positions in all, and an outer ring that does not cross itself. Returns the outer ring.
     */
    static List<Point> polygon(JsonNode node, int maxVertices) throws InvalidValue {
        if (node == null || !node.isObject() || !"Polygon".equals(node.path("type").asText())) {
            throw new InvalidValue("must be a GeoJSON object with \"type\": \"Polygon\"");
        }
        JsonNode rings = node.path("coordinates");
        if (!rings.isArray() || rings.isEmpty()) {
            throw new InvalidValue("coordinates must be an array of linear rings");
        }
        int total = 0;
        List<Point> outer = null;
        for (JsonNode ring : rings) {
            if (!ring.isArray() || ring.size() < 4) {
                throw new InvalidValue("each ring needs at least four positions");
            }
            total += ring.size();
            if (total > maxVertices) {
                throw new InvalidValue("has more than " + maxVertices + " positions");
            }
            List<Point> points = new ArrayList<>();
            for (JsonNode p : ring) {
                if (!p.isArray() || p.size() < 2 || p.size() > 3 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                    throw new InvalidValue("positions must be [longitude, latitude]");
                }
                points.add(checked(p.get(1).asDouble(), p.get(0).asDouble()));
            }
            if (!points.get(0).equals(points.get(points.size() - 1))) {
                throw new InvalidValue("each ring must end at its first position");
            }
            if (outer == null) {
                outer = points;
            }
        }
        if (selfIntersects(outer)) {
            throw new InvalidValue("the outer ring crosses itself");
        }
        return outer;
    }

    /** Mean of the ring's distinct positions: good enough to find a shape with "near". */
    static Point centroid(List<Point> ring) {
        double lat = 0;
        double lng = 0;
        int n = ring.size() - 1;
        for (int i = 0; i < n; i++) {
            lat += ring.get(i).lat();
            lng += ring.get(i).lng();
        }
        return new Point(lat / n, lng / n);
    }

    static double distanceKm(double lat1, double lng1, double lat2, double lng2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLng = Math.toRadians(lng2 - lng1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Latitude and longitude bounds around a point that contain every point within {@code km}. */
    static double[] boundingBox(double lat, double lng, double km) {
        double dLat = Math.toDegrees(km / EARTH_RADIUS_KM);
        double minLat = Math.max(-90, lat - dLat);
        double maxLat = Math.min(90, lat + dLat);
        double cos = Math.cos(Math.toRadians(Math.max(Math.abs(minLat), Math.abs(maxLat))));
        double dLng = cos < 1e-9 ? 360 : Math.toDegrees(km / (EARTH_RADIUS_KM * cos));
        double minLng = lng - dLng;
        double maxLng = lng + dLng;
        if (minLng < -180 || maxLng > 180) {
            // the box wraps the antimeridian (or a pole): every longitude, the distance check does the rest
            minLng = -180;
            maxLng = 180;
        }
        return new double[] {minLat, maxLat, minLng, maxLng};
    }

    private static boolean selfIntersects(List<Point> ring) {
        int n = ring.size() - 1;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (j == i + 1 || (i == 0 && j == n - 1)) {
                    continue;
                }
                if (cross(ring.get(i), ring.get(i + 1), ring.get(j), ring.get(j + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean cross(Point a, Point b, Point c, Point d) {
        double d1 = orient(c, d, a);
        double d2 = orient(c, d, b);
        double d3 = orient(a, b, c);
        double d4 = orient(a, b, d);
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
    }

    private static double orient(Point a, Point b, Point c) {
        return (b.lng() - a.lng()) * (c.lat() - a.lat()) - (b.lat() - a.lat()) * (c.lng() - a.lng());
    }
}
