package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SiloNamesTest {

  private static final List<String> COMPOSE = List.of("db", "kong");

  @Test
  void givenTheExampleSiloAndSite_whenChecked_itShouldFindNoProblem() {
    assertThat(new SiloNames("acme", "crm").derivedNameProblems(SiloNames.FLY_SERVICES, COMPOSE, "acme-crm-web"))
        .isEmpty();
  }

  @Test
  void givenAClientAndAppTooLongForAFlyApp_whenChecked_itShouldNameEachAppWithItsLengthAndTheLimit() {
    SiloNames names = new SiloNames("a".repeat(30), "b".repeat(20));

    List<String> problems = names.derivedNameProblems(SiloNames.FLY_SERVICES, List.of(), "web");

    String storage = names.flyApp("storage");
    assertThat(problems).anySatisfy(problem -> assertThat(problem)
        .startsWith("Fly app name '" + storage + "' has " + storage.length() + " characters, the limit is 63"));
    assertThat(problems).noneMatch(problem -> problem.contains("'" + names.flyApp("pg") + "'"));
  }

  @Test
  void givenAnOrganizationSlugLongerThanADnsLabel_whenChecked_itShouldNameItWithTheLimit() {
    SiloNames names = new SiloNames("c".repeat(40), "d".repeat(30));

    assertThat(names.derivedNameProblems(List.of(), List.of(), "web")).anySatisfy(problem -> assertThat(problem)
        .startsWith("Fly organization '" + names.flyOrg() + "' has 71 characters, the limit is 63"));
  }

  @Test
  void givenAComposeProjectAndContainerLongerThanADnsLabel_whenChecked_itShouldNameBothWithTheLimit() {
    SiloNames names = new SiloNames("e".repeat(40), "f".repeat(20));

    List<String> problems = names.derivedNameProblems(List.of(), List.of("db"), "web");

    assertThat(problems).anySatisfy(problem -> assertThat(problem)
        .startsWith("Compose project '" + names.composeProject() + "' has 66 characters, the limit is 63"));
    assertThat(problems).anySatisfy(problem -> assertThat(problem)
        .startsWith("container name '" + names.composeProject() + "-db-1' has 71 characters, the limit is 63"));
  }

  @Test
  void givenABranchComponentLongerThanAFileName_whenChecked_itShouldNameTheRefWithTheLimit() {
    SiloNames names = new SiloNames("g".repeat(200), "h".repeat(60));

    assertThat(names.derivedNameProblems(List.of(), List.of(), "web")).anySatisfy(problem -> assertThat(problem)
        .isEqualTo("git ref 'refs/heads/" + names.branch() + "' has a component of 261 bytes, the limit is 255"));
  }

  @Test
  void givenASiteNameThatMakesTheBranchHostTooLong_whenChecked_itShouldNameTheHostWithTheLimit() {
    SiloNames names = new SiloNames("acme", "crm");
    String site = "s".repeat(50);

    assertThat(names.derivedNameProblems(List.of(), List.of(), site)).containsExactly(
        "Netlify branch host 'silo-acme-crm--" + site + "' has 65 characters, the limit is 63 (Netlify serves"
            + " the branch at silo-acme-crm--" + site + ".netlify.app)");
  }
}
