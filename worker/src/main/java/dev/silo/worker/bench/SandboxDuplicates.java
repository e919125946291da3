package dev.silo.worker.bench;

import dev.silo.sandbox.Sandbox;
import dev.silo.sandbox.desk.DeskSandbox;
import dev.silo.sandbox.fly.FlySandbox;
import dev.silo.workflows.silo.SiloNames;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sandbox holds more than once for a silo: a Fly app with more than one machine, a Netlify
 * variable with more than one value for the silo's branch, the branch allowed or built more than
 * once, a desk event logged more than once. (Fly apps and organizations are keyed by name in the
 * sandbox, which refuses a second one, so they cannot be held twice.)
 */
final class SandboxDuplicates {

  private SandboxDuplicates() {}

  static List<String> of(Sandbox sandbox, SiloNames silo) {
    List<String> found = new ArrayList<>();
    for (FlySandbox.AppState app : sandbox.fly().apps()) {
      if (app.org().equals(silo.flyOrg()) && app.machines().size() > 1) {
        found.add("Fly app " + app.name() + " has " + app.machines().size() + " machines");
      }
    }
    sandbox.netlify().envVars().forEach((key, values) -> {
      long forBranch = values.stream().filter(value -> silo.branch().equals(value.contextParameter())).count();
      if (forBranch > 1) {
        found.add("Netlify variable " + key + " has " + forBranch + " values for " + silo.branch());
      }
    });
    long allowed = sandbox.netlify().allowedBranches().stream().filter(silo.branch()::equals).count();
    if (allowed > 1) {
      found.add("Netlify allows " + silo.branch() + " " + allowed + " times");
    }
    long builds = sandbox.netlify().builds().stream().filter(build -> silo.branch().equals(build.branch())).count();
    if (builds > 1) {
      found.add("Netlify built " + silo.branch() + " " + builds + " times");
    }
    List<String> events = sandbox.desk().events(silo.client(), silo.app()).stream()
        .map(DeskSandbox.SiloEvent::event).toList();
    events.stream().distinct().forEach(event -> {
      long times = events.stream().filter(event::equals).count();
      if (times > 1) {
        found.add("desk event " + event + " of " + silo.siloId() + " logged " + times + " times");
      }
    });
    return found;
  }
}
