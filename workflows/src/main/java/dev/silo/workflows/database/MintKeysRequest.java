package dev.silo.workflows.database;

import java.time.Duration;

/**
 * @param jwtSecret the silo's JWT secret
 * @param validity how long the keys are valid
 */
public record MintKeysRequest(String jwtSecret, Duration validity) {

  @Override
  public String toString() {
    return "MintKeysRequest[jwtSecret=***, validity=" + validity + "]";
  }
}
