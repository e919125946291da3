package dev.silo.starter.command;

/** Who asks for a run: the name given with {@code --requester}, else the OS user. */
public final class Requester {

  private Requester() {}

  /** The requester, or exit code 2 when neither a name nor an OS user is known. */
  public static String orOsUser(String named) {
    String who = named != null ? named : System.getProperty("user.name");
    if (who == null || who.isBlank()) {
      throw CliException.badInput("no requester: pass --requester NAME");
    }
    return who;
  }
}
