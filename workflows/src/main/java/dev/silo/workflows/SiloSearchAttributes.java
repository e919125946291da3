package dev.silo.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Custom search attributes that make silo runs and release deployments findable in the Web UI (for
 * example {@code ReleaseProject = "expenses" AND ReleaseStatus = "AWAITING_APPROVAL"}) and with
 * {@code silo list}. They must be registered on the server, all of type Keyword: the dev server does
 * it at start, the compose file's namespace step on a real server.
 */
public final class SiloSearchAttributes {

  public static final SearchAttributeKey<String> CLIENT = SearchAttributeKey.forKeyword("SiloClient");
  public static final SearchAttributeKey<String> APP = SearchAttributeKey.forKeyword("SiloApp");
  public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("SiloStep");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("SiloStatus");

  /** The project of a release promotion or environment deployment. */
  public static final SearchAttributeKey<String> RELEASE_PROJECT = SearchAttributeKey.forKeyword("ReleaseProject");

  /** The version a release promotion or environment deployment deploys. */
  public static final SearchAttributeKey<String> RELEASE_VERSION = SearchAttributeKey.forKeyword("ReleaseVersion");

  /** The environment of an environment deployment. */
  public static final SearchAttributeKey<String> RELEASE_ENVIRONMENT =
      SearchAttributeKey.forKeyword("ReleaseEnvironment");

  /** Where a promotion ({@code ReleaseStatus}) or an environment deployment ({@code EnvironmentStatus}) is. */
  public static final SearchAttributeKey<String> RELEASE_STATUS = SearchAttributeKey.forKeyword("ReleaseStatus");

  /** Every custom search attribute, as a server must register them. */
  public static final List<SearchAttributeKey<String>> ALL = List.of(CLIENT, APP, STEP, STATUS,
      RELEASE_PROJECT, RELEASE_VERSION, RELEASE_ENVIRONMENT, RELEASE_STATUS);

  private SiloSearchAttributes() {}
}
