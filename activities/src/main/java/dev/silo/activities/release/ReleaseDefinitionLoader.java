package dev.silo.activities.release;

import dev.silo.activities.config.ConfigProblem;
import dev.silo.activities.config.FileProblems;
import dev.silo.workflows.release.EnvironmentDefinition;
import dev.silo.workflows.release.ReleaseDefinition;
import dev.silo.workflows.release.ReleasePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads and validates a project's release definition: the pipeline file and the directory of
 * environment files, {@code dev.yml}, {@code staging.yml}, {@code uat.yml} and {@code prod.yml}.
 *
 * <p>Every problem is found before anything runs and reported at once, each as {@code file:line:
 * message}, so that the files can be fixed in one pass. Problems name files by the paths given
 * here. The loader only reads: loading the same files twice gives the same result.
 */
public final class ReleaseDefinitionLoader {

  /**
   * Loads the pipeline and the environments, reporting the problems of both together.
   *
   * @param project the project the pipeline belongs to
   * @param pipelineFile the pipeline file
   * @param environmentsDirectory the directory holding one file per environment
   * @throws ReleaseDefinitionException when any file has problems, listing all of them
   * @throws UncheckedIOException on an I/O error that is not a problem of the files
   */
  public ReleaseDefinition load(String project, Path pipelineFile, Path environmentsDirectory)
      throws ReleaseDefinitionException {
    List<ConfigProblem> problems = new ArrayList<>();
    ReleasePipeline pipeline =
        PipelineFileReader.read(
            project, pipelineFile, new FileProblems(pipelineFile.toString(), problems));
    List<EnvironmentDefinition> environments = environments(environmentsDirectory, problems);
    if (!problems.isEmpty()) {
      throw new ReleaseDefinitionException(problems);
    }
    return new ReleaseDefinition(pipeline, environments);
  }

  /**
   * Loads a pipeline file alone.
   *
   * @throws ReleaseDefinitionException when the file has problems, listing all of them
   */
  public ReleasePipeline loadPipeline(String project, Path pipelineFile)
      throws ReleaseDefinitionException {
    List<ConfigProblem> problems = new ArrayList<>();
    ReleasePipeline pipeline =
        PipelineFileReader.read(
            project, pipelineFile, new FileProblems(pipelineFile.toString(), problems));
    if (!problems.isEmpty()) {
      throw new ReleaseDefinitionException(problems);
    }
    return pipeline;
  }

  /**
   * Loads a directory of environment files alone.
   *
   * @return one definition per environment, in {@link EnvironmentDefinition#PROMOTION_ORDER}
   * @throws ReleaseDefinitionException when the directory or a file has problems, listing all
   */
  public List<EnvironmentDefinition> loadEnvironments(Path environmentsDirectory)
      throws ReleaseDefinitionException {
    List<ConfigProblem> problems = new ArrayList<>();
    List<EnvironmentDefinition> environments = environments(environmentsDirectory, problems);
    if (!problems.isEmpty()) {
      throw new ReleaseDefinitionException(problems);
    }
    return environments;
  }

  private static List<EnvironmentDefinition> environments(
      Path directory, List<ConfigProblem> problems) {
    if (!Files.isDirectory(directory)) {
      problems.add(new ConfigProblem(directory.toString(), null, "directory does not exist"));
      return List.of();
    }
    List<Path> yamlFiles = yamlFiles(directory);
    for (Path file : yamlFiles) {
      if (!EnvironmentDefinition.PROMOTION_ORDER.contains(environmentOf(file))) {
        new FileProblems(file.toString(), problems)
            .add(
                "unknown environment '"
                    + environmentOf(file)
                    + "'; the environments are "
                    + String.join(", ", EnvironmentDefinition.PROMOTION_ORDER));
      }
    }
    List<EnvironmentDefinition> environments = new ArrayList<>();
    for (String environment : EnvironmentDefinition.PROMOTION_ORDER) {
      List<Path> files =
          yamlFiles.stream().filter(file -> environmentOf(file).equals(environment)).toList();
      if (files.size() > 1) {
        new FileProblems(files.get(1).toString(), problems)
            .add("environment '" + environment + "' is also defined in " + files.get(0));
      }
      Path file = files.isEmpty() ? directory.resolve(environment + ".yml") : files.get(0);
      FileProblems fileProblems = new FileProblems(file.toString(), problems);
      Optional<EnvironmentDefinition> definition =
          EnvironmentFileReader.read(environment, file, fileProblems);
      definition.ifPresent(environments::add);
    }
    return environments;
  }

  private static List<Path> yamlFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String environmentOf(Path file) {
    return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
  }
}
