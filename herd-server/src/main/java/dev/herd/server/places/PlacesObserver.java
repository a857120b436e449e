package dev.herd.server.places;

/** Told of every answer a Places source gives, for metrics. Called from any thread; must not block. */
public interface PlacesObserver {
    /**
     * @param status the answer's {@code status} ("OK", "ZERO_RESULTS", an error status), or null if it had none
     * @param nanos  how long the answer took, from the query to the answer
     */
    void answered(String status, long nanos);
}
