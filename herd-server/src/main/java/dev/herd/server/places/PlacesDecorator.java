package dev.herd.server.places;

/** A source in front of another (cache, cap): it describes itself and closes as the one behind it. */
abstract class PlacesDecorator implements Places {
    protected final Places upstream;

    PlacesDecorator(Places upstream) {
        this.upstream = upstream;
    }

    @Override
    public String describe() {
        return upstream.describe();
    }

    @Override
    public void close() {
        upstream.close();
    }
}
