package dev.silo.workflows.netlify;

import java.util.List;

/**
 * @param branch the silo branch whose branch deploy goes
 * @param variables the variables whose value for context {@code branch} with this branch as
 *     parameter is deleted; their values for other contexts and branches stay
 */
public record RemoveBranchDeployRequest(String branch, List<String> variables) {

  public RemoveBranchDeployRequest {
    variables = variables == null ? List.of() : List.copyOf(variables);
  }
}
