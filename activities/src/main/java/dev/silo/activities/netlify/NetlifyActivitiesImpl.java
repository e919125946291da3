package dev.silo.activities.netlify;

import dev.silo.workflows.netlify.NetlifyBranchRemoved;
import dev.silo.workflows.netlify.NetlifyBranchState;
import dev.silo.workflows.netlify.RemoveBranchDeployRequest;
import dev.silo.workflows.netlify.InspectBranchRequest;
import dev.silo.activities.heartbeat.ActivityHeartbeat;
import dev.silo.activities.http.IdleConnections;
import dev.silo.activities.http.VendorRateLimiter;
import dev.silo.activities.netlify.NetlifyClient.Build;
import dev.silo.activities.netlify.NetlifyClient.Deploy;
import dev.silo.activities.netlify.NetlifyClient.EnvVar;
import dev.silo.activities.netlify.NetlifyClient.Site;
import dev.silo.workflows.FailureType;
import dev.silo.workflows.netlify.AwaitDeployRequest;
import dev.silo.workflows.netlify.BranchBuild;
import dev.silo.workflows.netlify.BuildBranchRequest;
import dev.silo.workflows.netlify.ConfigureBranchDeployRequest;
import dev.silo.workflows.netlify.DescribeSiteRequest;
import dev.silo.workflows.netlify.NetlifyActivities;
import dev.silo.workflows.netlify.NetlifyBranchConfig;
import dev.silo.workflows.netlify.NetlifyBuild;
import dev.silo.workflows.netlify.NetlifyDeploy;
import dev.silo.workflows.netlify.NetlifySite;
import dev.silo.workflows.netlify.TriggerBuildRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NetlifyActivities} on the worker's Netlify site, through Netlify's REST API.
 *
 * <p>Configuration is read before it is written, so that a configured branch is left alone and a
 * configuration cut short (a worker killed half-way, a 5xx) is completed by the retry rather than
 * redone. A build carries its idempotency key as its title; the branch's deploys are searched for
 * that title before a build is triggered ({@link #triggerBuild} and {@link #buildBranch}), then,
 * for {@link #buildBranch}, for any deploy of the branch that is ready or on its way.
 *
 * <p>The branch and its variables are written side by side; silos configured at once share the
 * writes of the allowed branches ({@link AllowedBranches}) and settle a variable two of them created
 * at once ({@link BranchVariables}), so that none waits for the others' whole configuration.
 *
 * <p>It is one unit over 300 lines because its activities share one read-before-write rule and one
 * search for a build's idempotency key; split, those rules would be scattered.
 */
public final class NetlifyActivitiesImpl implements NetlifyActivities {

  /** A Netlify personal access token. Required. */
  public static final String TOKEN_VARIABLE = "NETLIFY_AUTH_TOKEN";

  /** The API's base URL; defaults to {@value #DEFAULT_API_URL}. */
  public static final String API_URL_VARIABLE = "NETLIFY_API_URL";

  /** The site whose branch deploys are configured. Required. */
  public static final String SITE_VARIABLE = "NETLIFY_SITE_ID";

  /** The account that holds the site's variables; defaults to the site's own account. */
  public static final String ACCOUNT_VARIABLE = "NETLIFY_ACCOUNT_ID";

  /**
   * The requests a minute this worker sends Netlify at most; defaults to {@value
   * #DEFAULT_RATE_PER_MINUTE}, Netlify's documented limit for its API.
   */
  public static final String RATE_VARIABLE = "SILO_NETLIFY_RATE_PER_MINUTE";

  /** Netlify's documented API rate limit: 500 requests a minute. */
  public static final int DEFAULT_RATE_PER_MINUTE = 500;

  /** Netlify's API. */
  public static final String DEFAULT_API_URL = "https://api.netlify.com/api/v1";

  /**
   * How a deploy is polled: first soon, since a build can be over in well under a second, then
   * twice as long each time up to a cap. At the cap, 50 silos awaiting builds at once ask Netlify
   * 5 times a second, three fifths of its 500 requests a minute, which leaves room for the rest of
   * their calls.
   */
  static final PollSchedule DEFAULT_POLLING = new PollSchedule(Duration.ofMillis(100), Duration.ofSeconds(10));

  /** The pauses between polls of a deploy: {@code first}, then doubling up to {@code cap}. */
  record PollSchedule(Duration first, Duration cap) {

    Duration after(Duration pause) {
      Duration doubled = pause.multipliedBy(2);
      return doubled.compareTo(cap) > 0 ? cap : doubled;
    }
  }

  /** Deploy states after which no deploy will come of the build: it must be built again. */
  static final Set<String> ENDED_WITHOUT_DEPLOY = Set.of("error", "rejected", "canceled", "cancelled", "skipped");

  /**
   * The longest a request waits for its turn under the rate limit; longer, the activity fails and
   * is retried after that wait.
   */
  static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(20);

  private static final Logger log = LoggerFactory.getLogger(NetlifyActivitiesImpl.class);

  private final NetlifyClient client;
  private final String siteId;
  private final String accountId;
  private final PollSchedule polling;

  /**
   * The site's allowed branches, which silos configured at once share the writes of: the field can
   * only be replaced as a whole.
   */
  private final AllowedBranches allowedBranches;

  private final BranchVariables variables;
  private final SideBySide sideBySide;

  private NetlifyActivitiesImpl(NetlifyClient client, String siteId, String accountId, PollSchedule polling,
      AllowedBranches allowedBranches, SideBySide sideBySide) {
    this.client = client;
    this.siteId = siteId;
    this.accountId = accountId;
    this.polling = polling;
    this.allowedBranches = allowedBranches;
    this.sideBySide = sideBySide;
    this.variables = new BranchVariables(client, siteId, sideBySide);
  }

  private NetlifyActivitiesImpl(NetlifyClient client, String siteId, String accountId) {
    this(client, siteId, accountId, DEFAULT_POLLING, new AllowedBranches(client, siteId), new SideBySide());
  }

  /** The activities on the worker's Netlify site. */
  public NetlifyActivitiesImpl(NetlifySettings settings) {
    // OkHttp would otherwise resend by itself a request whose connection was cut before the answer,
    // such as a variable creation Netlify applied: the resent one gets a 409 that fails the run.
    // Retrying is Temporal's job, after the read that finds what the lost attempt applied.
    this(new NetlifyClient(settings.apiUrl(), settings.token().reveal(), new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .connectionPool(IdleConnections.pool())
            .connectTimeout(10, TimeUnit.SECONDS)
            .readTimeout(30, TimeUnit.SECONDS)
            .callTimeout(60, TimeUnit.SECONDS)
            .build(),
            VendorRateLimiter.of("Netlify", settings.ratePerMinute() / 60.0,
                VendorRateLimiter.clientBurst(settings.ratePerMinute()), MAX_RATE_LIMIT_WAIT)),
        settings.siteId(), settings.accountId());
  }

  /** The same activities, polling a deploy at this fixed interval instead of {@link #DEFAULT_POLLING}. */
  public NetlifyActivitiesImpl withPollInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive: " + interval);
    }
    return new NetlifyActivitiesImpl(client, siteId, accountId, new PollSchedule(interval, interval),
        allowedBranches, sideBySide);
  }

  @Override
  public NetlifySite describeSite(DescribeSiteRequest request) {
    Site site = client.getSite(siteId);
    if (request == null || request.branch() == null) {
      return new NetlifySite(siteId, site.name());
    }
    String account = accountId != null ? accountId : site.accountId();
    boolean configured = site.allowedBranches().contains(request.branch())
        && BranchVariables.unset(variables.read(account), request.branch(), request.variables()).isEmpty();
    return new NetlifySite(siteId, site.name(), configured);
  }

  @Override
  public NetlifyBranchConfig configureBranchDeploy(ConfigureBranchDeployRequest request) {
    String branch = requireText(request.branch(), "branch");
    Map<String, String> wanted = new TreeMap<>(Objects.requireNonNullElse(request.variables(), Map.of()));
    Site site = client.getSite(siteId);
    String previewUrl = BranchDeployUrl.require(branch, site.name());
    String account = accountId != null ? accountId : site.accountId();
    Map<String, EnvVar> existing = variables.read(account);

    List<String> unset = BranchVariables.unset(existing, branch, wanted.keySet());
    if (site.allowedBranches().contains(branch) && unset.isEmpty()) {
      List<String> differing = wanted.entrySet().stream()
          .filter(entry -> !BranchVariables.branchValue(existing.get(entry.getKey()), branch).orElseThrow()
              .equals(entry.getValue()))
          .map(Map.Entry::getKey)
          .toList();
      log.info("Netlify branch {} of site {} is already configured; nothing changed{}", branch,
          site.name(), differing.isEmpty() ? "" : " (left as they are, though they differ: " + differing + ")");
      return new NetlifyBranchConfig(siteId, branch, true, previewUrl);
    }

    // The branch and its variables are independent writes: they go side by side.
    List<Runnable> writes = new ArrayList<>();
    if (!site.allowedBranches().contains(branch)) {
      writes.add(() -> allowedBranches.allow(branch));
    }
    writes.add(() -> variables.write(account, branch, wanted, existing));
    sideBySide.run(writes);
    log.info("Netlify branch {} of site {} configured: branch deploys allowed, variables {} set",
        branch, site.name(), wanted.keySet());
    return new NetlifyBranchConfig(siteId, branch, false, previewUrl);
  }

  @Override
  public NetlifyBuild triggerBuild(TriggerBuildRequest request) {
    String branch = requireText(request.branch(), "branch");
    String key = requireText(request.idempotencyKey(), "idempotency key");
    Optional<Deploy> earlier = client.listSiteDeploys(siteId, branch).stream()
        .filter(deploy -> key.equals(deploy.title()))
        .findFirst();
    if (earlier.isPresent()) {
      log.info("Netlify build {} of branch {} was already triggered with key {}",
          earlier.get().buildId(), branch, key);
      return new NetlifyBuild(earlier.get().buildId(), earlier.get().id());
    }
    Build build = client.createSiteBuild(siteId, branch, key);
    log.info("Netlify build {} of branch {} triggered, deploy {}", build.id(), branch, build.deployId());
    return new NetlifyBuild(build.id(), build.deployId());
  }

  @Override
  public BranchBuild buildBranch(BuildBranchRequest request) {
    String branch = requireText(request.branch(), "branch");
    String key = requireText(request.idempotencyKey(), "idempotency key");
    List<Deploy> deploys = client.listSiteDeploys(siteId, branch);
    // A deploy titled with this key was triggered by an earlier attempt of this call, whose reply or
    // whose getDeploy was lost. It is returned whatever its state, even failed, so that awaitDeploy
    // reports its failure instead of a second build hiding it.
    // Then, newest first: the latest ready deploy is what the branch URL serves; failing that, a
    // build on its way will produce one, and a second build would only queue behind it.
    Optional<Deploy> usable = deploys.stream().filter(deploy -> key.equals(deploy.title())).findFirst()
        .or(() -> deploys.stream().filter(deploy -> "ready".equals(deploy.state())).findFirst())
        .or(() -> deploys.stream().filter(deploy -> !ENDED_WITHOUT_DEPLOY.contains(deploy.state())).findFirst());
    if (usable.isPresent()) {
      Deploy deploy = usable.get();
      log.info("Netlify branch {} already has deploy {} ({}); no build triggered", branch, deploy.id(),
          deploy.state());
      return new BranchBuild(deploy.buildId(), deploy.id(), deploy.state(), key.equals(deploy.title()),
          previewUrl(deploy));
    }
    Build build = client.createSiteBuild(siteId, branch, key);
    Deploy deploy = client.getDeploy(build.deployId());
    log.info("Netlify build {} of branch {} triggered, deploy {}", build.id(), branch, build.deployId());
    return new BranchBuild(build.id(), build.deployId(), deploy.state(), true, previewUrl(deploy));
  }

  @Override
  public NetlifyDeploy awaitDeploy(AwaitDeployRequest request) {
    return awaitDeploy(request, ActivityHeartbeat.current()::beat);
  }

  /**
   * Polls the deploy until it ends, reporting every state it is seen in.
   *
   * @param heartbeat receives the deploy's state after each poll; an activity's heartbeat, which
   *     throws when the activity is cancelled and so ends the wait
   */
  NetlifyDeploy awaitDeploy(AwaitDeployRequest request, Consumer<String> heartbeat) {
    String deployId = requireText(request.deployId(), "deploy ID");
    Duration pause = polling.first();
    while (true) {
      Deploy deploy = client.getDeploy(deployId);
      heartbeat.accept(deploy.state());
      if ("ready".equals(deploy.state())) {
        return new NetlifyDeploy(deploy.id(), deploy.state(), previewUrl(deploy));
      }
      // Every state after which no deploy will come, so that a reused deploy someone cancelled or
      // Netlify skipped fails the wait at once rather than when the activity times out.
      if (ENDED_WITHOUT_DEPLOY.contains(deploy.state())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Netlify deploy " + deployId + " of branch " + deploy.branch() + " ended '" + deploy.state()
                + "' without publishing anything: "
                + Objects.requireNonNullElse(deploy.errorMessage(), "Netlify gave no error message"),
            FailureType.DEPLOY_FAILED.type());
      }
      pause(pause);
      pause = polling.after(pause);
    }
  }

  /** The branch's URL, which always serves its latest deploy; the deploy's own URL when it has no branch. */
  private static String previewUrl(Deploy deploy) {
    return deploy.branch() != null && deploy.name() != null
        ? BranchDeployUrl.of(deploy.branch(), deploy.name()).orElse(deploy.deploySslUrl())
        : deploy.deploySslUrl();
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(name + " is empty", FailureType.INVALID_REQUEST.type());
    }
    return value;
  }

  @Override
  public NetlifyBranchState inspectBranch(InspectBranchRequest request) {
    String branch = requireText(request.branch(), "branch");
    Site site = client.getSite(siteId);
    Map<String, EnvVar> existing = variables.read(accountId != null ? accountId : site.accountId());
    Map<String, String> values = new TreeMap<>();
    for (String variable : Objects.requireNonNullElse(request.variables(), List.<String>of())) {
      BranchVariables.branchValue(existing.get(variable), branch).ifPresent(value -> values.put(variable, value));
    }
    return new NetlifyBranchState(branch, site.allowedBranches().contains(branch), values);
  }

  /** Only silo branches are ever removed: never the production branch nor a person's own. */
  static final String SILO_BRANCH_PREFIX = "silo/";

  @Override
  public NetlifyBranchRemoved removeBranchDeploy(RemoveBranchDeployRequest request) {
    String branch = requireText(request.branch(), "branch");
    if (!branch.startsWith(SILO_BRANCH_PREFIX)) {
      throw ApplicationFailure.newNonRetryableFailure("only a silo branch (" + SILO_BRANCH_PREFIX + "...) has its"
          + " branch deploy removed, not " + branch, FailureType.INVALID_REQUEST.type());
    }
    Site site = client.getSite(siteId);
    String account = accountId != null ? accountId : site.accountId();
    Map<String, EnvVar> existing = variables.read(account);
    boolean allowed = site.allowedBranches().contains(branch);
    List<String> removed = new ArrayList<>();
    // The branch and its variables are independent writes: they go side by side.
    List<Runnable> writes = new ArrayList<>();
    if (allowed) {
      writes.add(() -> allowedBranches.disallow(branch));
    }
    writes.add(() -> removed.addAll(variables.remove(account, branch, request.variables(), existing)));
    sideBySide.run(writes);
    log.info("Netlify branch {} of site {}: {}", branch, site.name(), !allowed && removed.isEmpty()
        ? "already removed; nothing changed"
        : (allowed ? "branch deploys no longer allowed" : "branch was not allowed") + ", variables " + removed
            + " deleted for the branch");
    return new NetlifyBranchRemoved(branch, allowed, removed);
  }
}
