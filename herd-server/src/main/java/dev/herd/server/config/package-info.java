/**
 * Settings, loaded and checked once at start: the topology, and each server's settings as small
 * immutable records (client limits, Places, storage, logs), each refusing a wrong value with one line.
 */
package dev.herd.server.config;
