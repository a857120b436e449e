package dev.herd.server.places;

/** Distances and longitude bands on a spherical Earth, for the offline source's searches. */
final class Geo {
    /** Mean Earth radius (IUGG), metres. */
    static final double EARTH_RADIUS_M = 6_371_008.8;

    private Geo() {
    }

    /**
     * How far in longitude a point within {@code band} degrees of arc can be, seen from {@code latitude}:
     * {@code band / cos} of the band's most poleward latitude; 180 (everything) near a pole.
     */
    static double longitudeBand(double latitude, double band) {
        double poleward = Math.abs(latitude) + band;
        if (poleward >= 89) {
            return 180;
        }
        return Math.min(180, band / Math.cos(Math.toRadians(poleward)) * 1.000001);
    }

    /** The smaller angle between two longitudes, across the antimeridian if shorter. */
    static double longitudeGap(double a, double b) {
        double gap = Math.abs(a - b);
        return gap > 180 ? 360 - gap : gap;
    }

    /** Great-circle distance by the haversine formula, in metres. */
    static double distanceMetres(double lat1, double lng1, double lat2, double lng2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lng2 - lng1);
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
