package dev.herd.server.places;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * GeoNames populated places in memory, sorted by latitude, for "what is within r metres of here?":
 * a binary search finds the latitude band that can hold matches, and an exact great-circle distance
 * keeps only those strictly within the radius. Immutable once loaded; safe to share across threads.
 */
public final class GeoNamesIndex {
    private static final double METRES_PER_DEGREE = Geo.EARTH_RADIUS_M * Math.PI / 180;
    /** How far a neighbourhood looks for the city it belongs to. */
    private static final double VICINITY_RADIUS_M = 40_000;
    private static final String NEIGHBOURHOOD = "PPLX";
    private static final int FIELDS = 9;
    private static final int UNKNOWN = -1;

    private final int size;
    private final int[] geonameId;
    private final String[] name;
    private final double[] lat;
    private final double[] lng;
    private final String[] featureCode;
    private final String[] country;
    private final String[] admin1;
    private final String[] admin2;
    private final long[] population;
    /**
     * For a neighbourhood, the index of the place it lies in; otherwise its own index. Filled on first
     * use (two threads racing compute the same value), which keeps loading cheap.
     */
    private final int[] vicinityOf;

    private GeoNamesIndex(int size, int[] geonameId, String[] name, double[] lat, double[] lng, String[] featureCode,
                          String[] country, String[] admin1, String[] admin2, long[] population) {
        this.size = size;
        this.geonameId = geonameId;
        this.name = name;
        this.lat = lat;
        this.lng = lng;
        this.featureCode = featureCode;
        this.country = country;
        this.admin1 = admin1;
        this.admin2 = admin2;
        this.population = population;
        for (int i = 1; i < size; i++) {
            if (lat[i] < lat[i - 1]) {
                throw new IllegalArgumentException("place data is not sorted by latitude at line " + (i + 1));
            }
        }
        this.vicinityOf = new int[size];
        Arrays.fill(vicinityOf, UNKNOWN);
    }

    /**
     * Reads the gzipped TSV written by {@code tools/places-data/build.sh}: geonameid, name, latitude,
     * longitude, feature code, country, admin1, admin2, population; sorted by latitude.
     */
    public static GeoNamesIndex load(InputStream gzipped) throws IOException {
        byte[] data;
        try (InputStream in = new GZIPInputStream(gzipped, 1 << 16)) {
            data = in.readAllBytes();
        }
        int lines = 0;
        for (byte b : data) {
            if (b == '\n') {
                lines++;
            }
        }
        int[] ids = new int[lines];
        String[] names = new String[lines];
        double[] lats = new double[lines];
        double[] lngs = new double[lines];
        String[] codes = new String[lines];
        String[] countries = new String[lines];
        String[] admin1s = new String[lines];
        String[] admin2s = new String[lines];
        long[] populations = new long[lines];
        Map<String, String> interned = new HashMap<>();
        int[] ends = new int[FIELDS];
        int pos = 0;
        for (int row = 0; row < lines; row++) {
            int lineEnd = pos;
            int field = 0;
            for (; data[lineEnd] != '\n'; lineEnd++) {
                if (data[lineEnd] == '\t') {
                    if (field == FIELDS - 1) {
                        throw new IOException("place data line " + (row + 1) + ": more than " + FIELDS + " fields");
                    }
                    ends[field++] = lineEnd;
                }
            }
            if (field != FIELDS - 1) {
                throw new IOException("place data line " + (row + 1) + ": " + (field + 1) + " fields (expected: " + FIELDS + ")");
            }
            ends[field] = lineEnd;
            try {
                ids[row] = Integer.parseInt(text(data, pos, ends[0]));
                names[row] = text(data, ends[0] + 1, ends[1]);
                lats[row] = Double.parseDouble(text(data, ends[1] + 1, ends[2]));
                lngs[row] = Double.parseDouble(text(data, ends[2] + 1, ends[3]));
                codes[row] = interned.computeIfAbsent(text(data, ends[3] + 1, ends[4]), k -> k);
                countries[row] = interned.computeIfAbsent(text(data, ends[4] + 1, ends[5]), k -> k);
                admin1s[row] = interned.computeIfAbsent(text(data, ends[5] + 1, ends[6]), k -> k);
                admin2s[row] = interned.computeIfAbsent(text(data, ends[6] + 1, ends[7]), k -> k);
                populations[row] = ends[8] == ends[7] + 1 ? 0 : Long.parseLong(text(data, ends[7] + 1, ends[8]));
            } catch (NumberFormatException e) {
                throw new IOException("place data line " + (row + 1) + ": bad number: " + e.getMessage(), e);
            }
            pos = lineEnd + 1;
        }
        try {
            return new GeoNamesIndex(lines, ids, names, lats, lngs, codes, countries, admin1s, admin2s, populations);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String text(byte[] data, int from, int to) {
        return new String(data, from, to - from, StandardCharsets.UTF_8);
    }

    public int size() {
        return size;
    }

    /**
     * The places strictly within {@code radiusMetres} of a point, most prominent first: by population,
     * then nearer first, then by GeoNames id, so the order is the same on every run and server.
     */
    public int[] within(double latitude, double longitude, double radiusMetres) {
        double band = radiusMetres / METRES_PER_DEGREE;
        double lngBand = Geo.longitudeBand(latitude, band);
        int from = firstAtOrAbove(latitude - band);
        List<double[]> found = new ArrayList<>();
        for (int i = from; i < size && lat[i] <= latitude + band; i++) {
            if (lngBand < 180 && Geo.longitudeGap(longitude, lng[i]) > lngBand) {
                continue;
            }
            double d = Geo.distanceMetres(latitude, longitude, lat[i], lng[i]);
            if (d <= radiusMetres) {
                found.add(new double[] {i, d});
            }
        }
        found.sort((a, b) -> {
            int ia = (int) a[0];
            int ib = (int) b[0];
            int c = Long.compare(population[ib], population[ia]);
            if (c == 0) {
                c = Double.compare(a[1], b[1]);
            }
            return c != 0 ? c : Integer.compare(geonameId[ia], geonameId[ib]);
        });
        int[] out = new int[found.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (int) found.get(k)[0];
        }
        return out;
    }

    private int firstAtOrAbove(double latitude) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lat[mid] < latitude) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The most populous non-neighbourhood of the same district within 40 km that is bigger, or itself. */
    private int enclosingPlace(int i) {
        double band = VICINITY_RADIUS_M / METRES_PER_DEGREE;
        double lngBand = Geo.longitudeBand(lat[i], band);
        int best = i;
        for (int j = firstAtOrAbove(lat[i] - band); j < size && lat[j] <= lat[i] + band; j++) {
            if (lngBand < 180 && Geo.longitudeGap(lng[i], lng[j]) > lngBand) {
                continue;
            }
            if (population[j] > population[best] && !NEIGHBOURHOOD.equals(featureCode[j])
                    && country[j].equals(country[i]) && admin1[j].equals(admin1[i]) && admin2[j].equals(admin2[i])
                    && Geo.distanceMetres(lat[i], lng[i], lat[j], lng[j]) <= VICINITY_RADIUS_M) {
                best = j;
            }
        }
        return best;
    }

    public int geonameId(int i) {
        return geonameId[i];
    }

    public String name(int i) {
        return name[i];
    }

    public double latitude(int i) {
        return lat[i];
    }

    public double longitude(int i) {
        return lng[i];
    }

    public long population(int i) {
        return population[i];
    }

    public String country(int i) {
        return country[i];
    }

    public String admin1(int i) {
        return admin1[i];
    }

    public boolean isNeighbourhood(int i) {
        return NEIGHBOURHOOD.equals(featureCode[i]);
    }

    /** The name of the narrowest place {@code i} belongs to: its own for a town, its city's for a neighbourhood. */
    public String vicinity(int i) {
        int v = vicinityOf[i];
        if (v == UNKNOWN) {
            v = NEIGHBOURHOOD.equals(featureCode[i]) ? enclosingPlace(i) : i;
            vicinityOf[i] = v;
        }
        return name[v];
    }

    @Override
    public String toString() {
        return "GeoNamesIndex{" + size + " places}";
    }
}
