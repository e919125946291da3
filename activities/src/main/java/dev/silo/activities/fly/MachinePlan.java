package dev.silo.activities.fly;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one {@code fly.toml} asks the Machines API for.
 *
 * @param region the region to create the machine in ({@code primary_region}), or null for Fly's
 *     choice
 * @param config the machine's {@code config}, its metadata carrying {@code configHash}
 * @param configHash the SHA-256 of the config's canonical JSON (hex), which tells a machine already
 *     running this config from one that needs an update
 */
record MachinePlan(String region, ObjectNode config, String configHash) {

  @Override
  public String toString() {
    // The config's env holds the app's secrets.
    return "MachinePlan[region=" + region + ", configHash=" + configHash + "]";
  }
}
