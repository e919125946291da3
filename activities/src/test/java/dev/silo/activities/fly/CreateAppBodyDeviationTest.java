package dev.silo.activities.fly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.silo.sandbox.SpecValidator;
import dev.silo.sandbox.fly.FlyMachinesSpec;
import dev.silo.workflows.fly.CreateFlyAppRequest;
import dev.silo.workflows.fly.EnsureOrganizationRequest;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one place where the client sends what the published spec does not describe.
 *
 * <p>The 2024-01 Machines API description names the new app {@code app_name} in {@code
 * CreateAppRequest}, as the Machines API docs do; newer clients (fly-go's {@code flaps}, which
 * flyctl uses) send {@code name} instead, which is what the live API reads today. The client sends
 * both, with the same value, so that the request works with either generation of the API.
 *
 * <p>The validator reads the spec strictly (a property the schema does not list is an error), so
 * each app creation records exactly one violation, this one; the other tests ignore it through
 * {@link #isTheDeviation} and fail on any other.
 */
class CreateAppBodyDeviationTest {

  private static final String ONLY_NAME_NOT_ALLOWED = "validation.request.body.schema.additionalProperties:"
      + " Object instance has properties which are not allowed by the schema: [\"name\"]; ";

  private FlyFixture fly;

  /** Whether a violation is this deviation: the create-app body's {@code name}. */
  static boolean isTheDeviation(SpecValidator.Violation violation) {
    return violation.method().equals("POST") && violation.path().equals("/v1/apps")
        && violation.messages().equals(ONLY_NAME_NOT_ALLOWED);
  }

  @BeforeEach
  void start() throws IOException {
    fly = FlyFixture.start();
  }

  @AfterEach
  void stop() {
    fly.close();
  }

  @Test
  void givenThe2024Spec_whenAnAppIsCreated_itShouldSendBothNamesAndTheSpecShouldRejectOnlyName() throws IOException {
    JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(FlyMachinesSpec.find().toFile());
    JsonNode createAppRequest = spec.at("/components/schemas/CreateAppRequest/properties");

    fly.direct.ensureOrganization(new EnsureOrganizationRequest(FlyFixture.ORG));
    fly.direct.createApp(new CreateFlyAppRequest(FlyFixture.ORG, "devenv-acme-crm-rest"));

    assertThat(createAppRequest.has("app_name")).isTrue();
    assertThat(createAppRequest.has("name")).as("the spec predates the name property").isFalse();
    assertThat(fly.sandbox.app("devenv-acme-crm-rest")).isPresent();
    assertThat(fly.sandbox.violations()).singleElement().satisfies(violation -> {
      assertThat(violation.messages()).contains("additionalProperties").contains("\"name\"");
      assertThat(isTheDeviation(violation)).isTrue();
    });
    assertThat(fly.violations()).isEmpty();
  }
}
