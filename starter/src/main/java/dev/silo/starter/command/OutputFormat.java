package dev.silo.starter.command;

/** How a command prints its result. */
enum OutputFormat {
  /** For people: aligned lines and status marks. */
  TEXT,
  /** For scripts: the shapes documented in CLI.md, one JSON document per line on stdout. */
  JSON
}
