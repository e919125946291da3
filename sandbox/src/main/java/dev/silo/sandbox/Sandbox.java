package dev.silo.sandbox;

import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.sandbox.netlify.NetlifySandbox;
import dev.silo.sandbox.netlify.NetlifySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three emulators in one process, on loopback ports, with the worker environment that points
 * a worker at them instead of the real Fly.io, Netlify and Service Desk. The tokens are random per
 * sandbox, so a worker really authenticates.
 */
public final class Sandbox implements AutoCloseable {

  private final FlySandbox fly;
  private final NetlifySandbox netlify;
  private final DeskSandbox desk;
  private final String flyToken;
  private final CallLog calls;

  private Sandbox(FlySandbox fly, NetlifySandbox netlify, DeskSandbox desk, String flyToken, CallLog calls) {
    this.calls = calls;
    this.fly = fly;
    this.netlify = netlify;
    this.desk = desk;
    this.flyToken = flyToken;
  }

  /**
   * Starts the emulators.
   *
   * @param latency what every call waits before it is answered (zero for tests, a few hundred
   *     milliseconds to make a demo or a benchmark realistic)
   */
  public static Sandbox start(Duration latency) {
    String flyToken = "sandbox-fly-" + randomHex();
    CallLog calls = new CallLog();
    FlySandbox fly = null;
    NetlifySandbox netlify = null;
    try {
      fly = FlySandbox.builder(FlyMachinesSpec.find(), flyToken).callLog(calls).start();
      netlify = NetlifySandbox.builder(NetlifySpec.locate()).token("sandbox-netlify-" + randomHex()).callLog(calls)
          .start();
      DeskSandbox desk = DeskSandbox.builder().apiKey("sandbox-desk-" + randomHex()).callLog(calls).start();
      fly.faults().latency(latency);
      netlify.faults().latency(latency);
      desk.faults().latency(latency);
      return new Sandbox(fly, netlify, desk, flyToken, calls);
    } catch (IOException e) {
      closeQuietly(fly, netlify);
      throw new UncheckedIOException("the sandbox could not start", e);
    } catch (RuntimeException e) {
      closeQuietly(fly, netlify);
      throw e;
    }
  }

  /** The worker environment variables that point Fly, Netlify and the desk at this sandbox. */
  public Map<String, String> workerEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FLY_API_URL", fly.url());
    env.put("FLY_GRAPHQL_URL", fly.graphqlUrl());
    env.put("FLY_API_TOKEN", flyToken);
    // The sandbox publishes each pg app on a loopback port of this host.
    env.put("FLY_APP_HOSTNAME_TEMPLATE", "127.0.0.1");
    env.put("NETLIFY_API_URL", netlify.url());
    env.put("NETLIFY_AUTH_TOKEN", netlify.token());
    env.put("NETLIFY_SITE_ID", netlify.siteId());
    env.put("NETLIFY_ACCOUNT_ID", netlify.accountId());
    env.put("SOMTECH_DESK_URL", desk.url().toString());
    env.put("SOMTECH_DESK_API_KEY", desk.apiKey());
    return env;
  }

  /** Every call the three emulators answered, with its caller, start, end and status. */
  public CallLog calls() {
    return calls;
  }

  public FlySandbox fly() {
    return fly;
  }

  public NetlifySandbox netlify() {
    return netlify;
  }

  public DeskSandbox desk() {
    return desk;
  }

  @Override
  public void close() {
    closeQuietly(fly, netlify);
    desk.close();
  }

  private static void closeQuietly(FlySandbox fly, NetlifySandbox netlify) {
    if (fly != null) {
      fly.close();
    }
    if (netlify != null) {
      netlify.close();
    }
  }

  private static String randomHex() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
