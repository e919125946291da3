package dev.silo.sandbox.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The GraphQL fields of Fly's API that organizations need: the query {@code
 * organization(slug:)} and the mutations {@code createOrganization(input: {name})} and {@code
 * deleteOrganization(input: {organizationId})}. The sandbox does
 * not parse GraphQL: it recognises the field a document asks for and answers with the shape Fly
 * answers (errors with HTTP 200, {@code NOT_FOUND} for a missing organization).
 */
final class OrganizationsGraphQl {

  private static final Pattern CREATE = Pattern.compile("\\bcreateOrganization\\s*\\(");
  private static final Pattern DELETE = Pattern.compile("\\bdeleteOrganization\\s*\\(");
  private static final Pattern LOOK_UP = Pattern.compile("\\borganization\\s*\\(");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private final FlyAccount account;
  private final ObjectMapper json;

  OrganizationsGraphQl(FlyAccount account, ObjectMapper json) {
    this.account = account;
    this.json = json;
  }

  SandboxRoute route(SandboxRequest request) {
    if (!request.method().equals("POST")) {
      return new SandboxRoute("graphql", () -> SandboxResponse.error(405, "GraphQL requests are POSTed"));
    }
    Optional<JsonNode> body = parse(request.body());
    String query = body.map(node -> node.path("query").asText("")).orElse("");
    JsonNode variables = body.map(node -> node.path("variables")).orElse(json.createObjectNode());
    if (CREATE.matcher(query).find()) {
      return new SandboxRoute("createOrganization", () -> create(variables.path("input").path("name").asText("")));
    }
    if (DELETE.matcher(query).find()) {
      return new SandboxRoute("deleteOrganization",
          () -> delete(variables.path("input").path("organizationId").asText("")));
    }
    if (LOOK_UP.matcher(query).find()) {
      return new SandboxRoute("organization", () -> lookUp(variables.path("slug").asText("")));
    }
    return new SandboxRoute("graphql", () -> errors(null, "the sandbox answers only organization, createOrganization and deleteOrganization",
        "BAD_REQUEST"));
  }

  private SandboxResponse lookUp(String slug) {
    Optional<FlyAccount.Org> org = account.organization(slug);
    if (org.isEmpty()) {
      ObjectNode data = json.createObjectNode().putNull("organization");
      return errors(data, "Could not find Organization", "NOT_FOUND");
    }
    ObjectNode answer = json.createObjectNode();
    answer.putObject("data").set("organization", organization(org.get()));
    return SandboxResponse.json(200, answer);
  }

  private SandboxResponse create(String name) {
    if (!SLUG.matcher(name).matches()) {
      return errors(null, "Name may only contain lowercase letters, digits and hyphens", "UNPROCESSABLE");
    }
    Optional<FlyAccount.Org> org = account.createOrganization(name);
    if (org.isEmpty()) {
      return errors(null, "Name has already been taken", "UNPROCESSABLE");
    }
    ObjectNode answer = json.createObjectNode();
    answer.putObject("data").putObject("createOrganization").set("organization", organization(org.get()));
    return SandboxResponse.json(200, answer);
  }

  /** Fly answers {@code deleteOrganization} with the deleted organization's ID. */
  private SandboxResponse delete(String organizationId) {
    return switch (account.deleteOrganization(organizationId)) {
      case NOT_FOUND -> errors(json.createObjectNode().putNull("deleteOrganization"), "Could not find Organization",
          "NOT_FOUND");
      case HAS_APPS -> errors(null, "Organization still has apps; delete them first", "UNPROCESSABLE");
      case DELETED -> {
        ObjectNode answer = json.createObjectNode();
        answer.putObject("data").putObject("deleteOrganization").put("deletedOrganizationId", organizationId);
        yield SandboxResponse.json(200, answer);
      }
    };
  }

  private ObjectNode organization(FlyAccount.Org org) {
    return json.createObjectNode().put("id", org.id).put("slug", org.slug).put("name", org.name).put("type", "SHARED");
  }

  private SandboxResponse errors(ObjectNode data, String message, String code) {
    ObjectNode answer = json.createObjectNode();
    if (data != null) {
      answer.set("data", data);
    }
    ObjectNode error = answer.putArray("errors").addObject().put("message", message);
    error.putObject("extensions").put("code", code);
    return SandboxResponse.json(200, answer);
  }

  private Optional<JsonNode> parse(String body) {
    try {
      return body.isBlank() ? Optional.empty() : Optional.of(json.readTree(body));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
