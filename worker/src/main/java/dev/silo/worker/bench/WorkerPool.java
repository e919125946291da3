package dev.silo.worker.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's worker processes, kept from one case to the next so that only the first meets a
 * cold JVM (and that first run is a warm-up the benchmark does not count); a worker a case killed
 * is replaced before the next.
 */
final class WorkerPool implements AutoCloseable {

  private final BenchRig rig;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private int started;

  WorkerPool(BenchRig rig) {
    this.rig = rig;
  }

  /** {@code count} live workers, starting the missing ones, each measured from now on. */
  List<WorkerProcess> ready(int count) throws IOException, InterruptedException {
    workers.removeIf(worker -> !worker.alive());
    while (workers.size() < count) {
      String name = "worker" + started++;
      workers.add(WorkerProcess.start(rig.work(), name, rig.workerEnvironment(name)));
    }
    workers.forEach(WorkerProcess::startMeasuring);
    return List.copyOf(workers);
  }

  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
  }
}
