/**
 * Where WHATSAT answers come from: Google's Nearby Search (legacy or New) over HTTP, or the offline
 * GeoNames index, behind a cache and a cap on queries in flight, built by one factory.
 */
package dev.herd.server.places;
