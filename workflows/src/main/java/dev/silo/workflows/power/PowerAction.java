package dev.silo.workflows.power;

/**
 * What a power run does to a silo, and the words the Service Desk records for it (the status values
 * every lifecycle run shares: {@code active}, {@code stopped}, {@code decommissioned}, {@code
 * error}).
 */
public enum PowerAction {
  STOP("stopped", "stopped", "stopped", "stop"),
  START("active", "started", "running", "start");

  private final String deskStatus;
  private final String event;
  private final String state;
  private final String verb;

  PowerAction(String deskStatus, String event, String state, String verb) {
    this.deskStatus = deskStatus;
    this.event = event;
    this.state = state;
    this.verb = verb;
  }

  /** The silo's status in the desk once the run is done: {@code stopped} or {@code active}. */
  public String deskStatus() {
    return deskStatus;
  }

  /** The event logged in the desk: {@code stopped} or {@code started}. */
  public String event() {
    return event;
  }

  /** What every container and machine is once the run is done, in words: stopped or running. */
  public String state() {
    return state;
  }

  /** The command's verb: {@code stop} or {@code start}. */
  public String verb() {
    return verb;
  }
}
