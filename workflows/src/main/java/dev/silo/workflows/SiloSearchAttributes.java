package dev.silo.workflows;

import io.temporal.common.SearchAttributeKey;

/**
 * Custom search attributes that make silo runs findable in the Web UI and with {@code silo list}.
 * They must be registered on the server (the dev server does it at start).
 */
public final class SiloSearchAttributes {

  public static final SearchAttributeKey<String> CLIENT = SearchAttributeKey.forKeyword("SiloClient");
  public static final SearchAttributeKey<String> APP = SearchAttributeKey.forKeyword("SiloApp");
  public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("SiloStep");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("SiloStatus");

  private SiloSearchAttributes() {}
}
