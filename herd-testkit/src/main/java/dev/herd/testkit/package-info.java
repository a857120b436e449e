/**
 * Testing against a herd: a whole herd in the test's JVM on ephemeral ports ({@link dev.herd.testkit.Herd}),
 * with links that fail on demand, a scripted Places endpoint ({@link dev.herd.testing.FakePlaces}),
 * line clients, bounded waits and reply assertions.
 */
package dev.herd.testkit;
