package dev.silo.activities.release;

import dev.silo.activities.config.FileProblems;
import dev.silo.activities.config.YamlNode;
import dev.silo.activities.config.YamlNode.Entry;
import dev.silo.activities.config.YamlNode.Scalar;
import dev.silo.workflows.release.PipelineStep;
import dev.silo.workflows.release.ReleasePipeline;
import dev.silo.workflows.release.RollbackPlan;
import dev.silo.workflows.release.RollbackTrigger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a pipeline file. Its top-level keys may sit in one document or be spread over several
 * separated by {@code ---}, as a runbook quotes them block by block; each key may appear once.
 */
final class PipelineFileReader {

  static final String PRE_FLIGHT = "pre_flight";
  static final String SCHEMA_DEPLOY = "schema_deploy";
  static final String FUNCTION_DEPLOY = "function_deploy";
  static final String RLS_DEPLOY = "rls_deploy";
  static final String HEALTH_CHECKS = "health_checks";
  static final String ROLLBACK = "rollback";
  private static final List<String> KEYS =
      List.of(PRE_FLIGHT, SCHEMA_DEPLOY, FUNCTION_DEPLOY, RLS_DEPLOY, HEALTH_CHECKS, ROLLBACK);
  private static final List<String> ROLLBACK_KEYS = List.of("triggers", "steps");

  private PipelineFileReader() {}

  static ReleasePipeline read(String project, Path file, FileProblems problems) {
    Map<String, Entry> sections = new HashMap<>();
    DefinitionFile.read(file, problems)
        .ifPresent(
            documents -> documents.forEach(document -> collect(document, sections, problems)));
    RollbackPlan rollback =
        sections.containsKey(ROLLBACK)
            ? rollback(sections.get(ROLLBACK).value(), problems)
            : new RollbackPlan(List.of(), List.of());
    return new ReleasePipeline(
        project,
        stage(sections, PRE_FLIGHT, problems),
        stage(sections, SCHEMA_DEPLOY, problems),
        stage(sections, FUNCTION_DEPLOY, problems),
        stage(sections, RLS_DEPLOY, problems),
        stage(sections, HEALTH_CHECKS, problems),
        rollback);
  }

  private static void collect(
      YamlNode document, Map<String, Entry> sections, FileProblems problems) {
    if (document instanceof Scalar scalar && scalar.text() == null) {
      return;
    }
    DefinitionMapping.of(document, "a pipeline document", problems)
        .ifPresent(
            mapping -> {
              mapping.rejectUnknownKeys(KEYS);
              for (Entry entry : mapping.entries()) {
                if (!KEYS.contains(entry.key())) {
                  continue;
                }
                Entry earlier = sections.putIfAbsent(entry.key(), entry);
                if (earlier != null) {
                  problems.add(
                      entry.keyLine(),
                      entry.key() + " is already written at line " + earlier.keyLine());
                }
              }
            });
  }

  private static List<PipelineStep> stage(
      Map<String, Entry> sections, String key, FileProblems problems) {
    Entry entry = sections.get(key);
    return entry == null ? List.of() : PipelineStepReader.steps(entry.value(), key, problems);
  }

  private static RollbackPlan rollback(YamlNode node, FileProblems problems) {
    if (node instanceof Scalar scalar && scalar.text() == null) {
      return new RollbackPlan(List.of(), List.of());
    }
    return DefinitionMapping.of(node, ROLLBACK, problems)
        .map(
            rollback -> {
              rollback.rejectUnknownKeys(ROLLBACK_KEYS);
              List<RollbackTrigger> triggers =
                  rollback
                      .entry("triggers")
                      .map(entry -> RollbackTriggerReader.triggers(entry.value(), problems))
                      .orElse(List.of());
              List<PipelineStep> steps =
                  rollback
                      .entry("steps")
                      .map(
                          entry ->
                              PipelineStepReader.steps(entry.value(), "rollback steps", problems))
                      .orElse(List.of());
              return new RollbackPlan(triggers, steps);
            })
        .orElse(new RollbackPlan(List.of(), List.of()));
  }
}
