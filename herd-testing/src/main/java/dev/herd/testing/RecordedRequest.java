package dev.herd.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as {@link FakePlaces} received it.
 *
 * @param path    the path, without the query
 * @param query   the decoded query parameters, in order
 * @param headers the headers, names in lower case
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> query,
                              Map<String, String> headers, String body) {

    /** The first value of a query parameter, or {@code null}. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
