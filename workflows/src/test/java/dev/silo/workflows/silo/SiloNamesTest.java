package dev.silo.workflows.silo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
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

  @Test
  void givenAClientHoldingAHyphen_whenChecked_itShouldNameThePairWhoseSiloIdItWouldShare() {
    assertThat(SiloNames.problems("acme-sig", "a")).containsExactly("client 'acme-sig' may not contain '-': the"
        + " silo ID acme-sig-a would also be that of client 'acme', app 'sig-a'");
  }

  @Test
  void givenAClientHoldingSeveralHyphens_whenChecked_itShouldNameThePairOfTheFirstSplit() {
    assertThat(SiloNames.problems("acme-eu-west", "crm")).containsExactly("client 'acme-eu-west' may not contain"
        + " '-': the silo ID acme-eu-west-crm would also be that of client 'acme', app 'eu-west-crm'");
  }

  @Test
  void givenAnAppHoldingHyphens_whenChecked_itShouldFindNoProblem() {
    assertThat(SiloNames.problems("acme", "sig-a")).isEmpty();
    assertThat(new SiloNames("acme", "crm").workflowId()).isEqualTo("silo-acme-crm");
  }

  /**
   * Pairs drawn from an alphabet where hyphens are frequent, so that many would collide if the rule
   * let them: each derived name of every pair the rule accepts belongs to that pair alone.
   */
  @Test
  void givenManyGeneratedValidPairs_whenTheirNamesAreDerived_itShouldGiveEachNameToOnePairOnly() {
    Random random = new Random(20261205L);
    List<SiloNames> valid = new ArrayList<>();
    for (int i = 0; i < 200_000 && valid.size() < 20_000; i++) {
      String client = generatedName(random, "ab1-");
      String app = generatedName(random, "ab1-");
      if (SiloNames.problems(client, app).isEmpty()) {
        valid.add(new SiloNames(client, app));
      }
    }
    List<SiloNames> distinct = valid.stream().distinct().toList();
    assertThat(distinct).hasSizeGreaterThan(5_000);
    assertThat(distinct).anyMatch(names -> names.app().contains("-"));

    List<Function<SiloNames, String>> derived = List.of(SiloNames::siloId, SiloNames::workflowId,
        SiloNames::configDirectory, SiloNames::flyOrg, SiloNames::branch, SiloNames::composeProject,
        names -> names.flyApp("pg"), names -> names.netlifyBranchHost("web"));
    for (Function<SiloNames, String> name : derived) {
      Map<String, SiloNames> owners = new HashMap<>();
      for (SiloNames names : distinct) {
        SiloNames other = owners.putIfAbsent(name.apply(names), names);
        assertThat(other).as("the name %s of %s", name.apply(names), names).isNull();
      }
    }
  }

  @Test
  void givenAGeneratedValidPairButForAHyphenInTheClient_whenChecked_itShouldBeRefused() {
    Random random = new Random(7L);
    for (int i = 0; i < 10_000; i++) {
      String client = generatedName(random, "ab1") + "-" + generatedName(random, "ab1");
      String app = generatedName(random, "ab1") + (random.nextBoolean() ? "-" + generatedName(random, "ab1") : "");
      assertThat(SiloNames.problems(client, app)).as("client %s, app %s", client, app)
          .anyMatch(problem -> problem.startsWith("client '" + client + "' may not contain '-'"));
    }
  }

  /** A name of one to six characters drawn from the alphabet, valid or not. */
  private static String generatedName(Random random, String alphabet) {
    StringBuilder name = new StringBuilder();
    int length = 1 + random.nextInt(6);
    for (int i = 0; i < length; i++) {
      name.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return name.toString();
  }
}
