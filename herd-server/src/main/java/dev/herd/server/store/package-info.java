/**
 * The records: the location store (newest record per client wins), its journal on disk, and
 * {@link dev.herd.server.store.Updates}, the one place an update's consequences live (keep if newer,
 * journal, flood, tell the listener).
 */
package dev.herd.server.store;
