package dev.silo.starter;

/** A command whose global options the error handlers can read (output format, debug). */
interface SiloCommand {

  GlobalOptions globals();
}
