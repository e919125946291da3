package dev.silo.starter.command;

/** A command whose global options the error handlers can read (output format, debug). */
public interface SiloCommand {

  GlobalOptions globals();
}
