package dev.silo.activities.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

class AgentImageTest {

  @TempDir Path temp;

  @Test
  void givenStaticBusybox_whenBuildingTheRootFilesystem_itShouldHoldItsAppletsAndAPage()
      throws Exception {
    assumeStaticBusybox();

    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new ByteArrayInputStream(AgentImage.rootFilesystem(AgentImage.BUSYBOX)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entries.put(entry.getName(), entry);
      }
    }

    assertThat(entries.get("bin/busybox").getSize()).isEqualTo(Files.size(AgentImage.BUSYBOX));
    assertThat(entries.get("bin/busybox").getMode() & 0777).isEqualTo(0755);
    for (String applet : AgentImage.APPLETS) {
      assertThat(entries.get("bin/" + applet).getLinkName()).as(applet).isEqualTo("busybox");
    }
    assertThat(entries).containsKeys("www/index.html", "tmp/", "etc/passwd");
    assertThat(entries.get("tmp/").getMode() & 01777).isEqualTo(01777);
  }

  @Test
  void givenSameBusybox_whenBuildingTheRootFilesystemTwice_itShouldBuildTheSameBytes() {
    assumeStaticBusybox();

    assertThat(AgentImage.rootFilesystem(AgentImage.BUSYBOX))
        .isEqualTo(AgentImage.rootFilesystem(AgentImage.BUSYBOX));
  }

  @Test
  void givenDynamicallyLinkedExecutable_whenBuildingTheRootFilesystem_itShouldSaySoAndHowToFix() {
    Path dynamic = Path.of("/bin/ls");
    Assumptions.assumeTrue(Files.isRegularFile(dynamic) && AgentImage.isDynamicallyLinked(dynamic));

    assertThatThrownBy(() -> AgentImage.rootFilesystem(dynamic))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dynamically linked")
        .hasMessageContaining("busybox-static");
  }

  @Test
  void givenNoBusybox_whenBuildingTheRootFilesystem_itShouldSayWhereItLooked() {
    assertThatThrownBy(() -> AgentImage.rootFilesystem(temp.resolve("busybox")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(temp.resolve("busybox").toString());
  }

  @Test
  @ExtendWith(ContainerEngineTestSupport.class)
  void givenImageOfThatNameWithOtherContent_whenEnsuredTwice_itShouldReplaceItOnceThenKeepIt(
      DockerEngine engine) throws Exception {
    assumeStaticBusybox();
    String repository = "localhost/silo-test-agent-" + UUID.randomUUID().toString().substring(0, 8);
    String stale = engine.importImage(repository, "v1", otherRootFilesystem());
    engine.tagImage(stale, repository, "v1");
    try {
      String first = AgentImage.ensure(engine, repository, "v1", AgentImage.BUSYBOX);
      String second = AgentImage.ensure(engine, repository, "v1", AgentImage.BUSYBOX);

      assertThat(first).isNotEqualTo(stale);
      assertThat(second).isEqualTo(first);
      assertThat(engine.imageId(repository + ":v1")).contains(first);
    } finally {
      for (String image : new String[] {stale, engine.imageId(repository + ":v1").orElse(stale)}) {
        engine.client().removeImageCmd(image).withForce(true).exec();
      }
    }
  }

  private static byte[] otherRootFilesystem() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry("stale.txt");
      byte[] content = "not the agent\n".getBytes();
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static void assumeStaticBusybox() {
    Assumptions.assumeTrue(
        Files.isRegularFile(AgentImage.BUSYBOX), "no busybox at " + AgentImage.BUSYBOX);
  }
}
