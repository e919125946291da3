package dev.silo.activities.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A tiny image made on the spot, never pulled: a root filesystem holding a static busybox, imported
 * as {@value #NAME}. It stands in for a silo's real images where no registry is reachable (tests,
 * the demo): {@code /bin/httpd -f -p 8080 -h /www} serves a page, {@code /bin/wget} probes it, and
 * {@code /bin/sh -c "exit 3"} dies.
 *
 * <p>The image has no command of its own, so every service that runs it names one. Debian's static
 * busybox 1.35 crashes (SIGSEGV) on {@code wget -T <seconds>} with a host name, so probes leave
 * {@code -T} out and rely on the healthcheck's own timeout.
 */
public final class AgentImage {

  /** The image's repository. */
  public static final String REPOSITORY = "localhost/silo-test-agent";

  /** The image's tag. */
  public static final String TAG = "latest";

  /** The image's reference, for a Compose service's {@code image}. */
  public static final String NAME = REPOSITORY + ":" + TAG;

  /** Where the busybox binary is taken from by default. */
  public static final Path BUSYBOX = Path.of("/bin/busybox");

  /** The page {@code httpd -h /www} serves. */
  public static final String INDEX_HTML = "silo test agent\n";

  /** The busybox applets linked in /bin. */
  static final List<String> APPLETS =
      List.of(
          "sh",
          "httpd",
          "wget",
          "nc",
          "sleep",
          "cat",
          "echo",
          "printf",
          "ls",
          "true",
          "false",
          "test",
          "env",
          "id",
          "ps",
          "kill",
          "mkdir",
          "rm",
          "touch",
          "grep",
          "hostname",
          "nslookup");

  private static final int ELF_PROGRAM_INTERPRETER = 3;

  /** The time every file of the image carries, 2025-01-01. */
  private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

  private AgentImage() {}

  /**
   * Imports the image from {@link #BUSYBOX} unless the engine already has this very content, and
   * points {@value #NAME} at it.
   *
   * @return the image ID
   * @throws IllegalStateException when {@link #BUSYBOX} is missing or not statically linked (a
   *     dynamic one cannot run in an image without its libraries)
   * @throws io.temporal.failure.ApplicationFailure when the engine cannot be reached or refuses
   */
  public static String ensure(DockerEngine engine) {
    return ensure(engine, REPOSITORY, TAG, BUSYBOX);
  }

  /**
   * Imports the root filesystem built from {@code busybox} and tags it {@code repository:tag}.
   *
   * <p>The import is also tagged with a digest of the root filesystem (which is built the same way
   * every time), so that an image of the same name made otherwise, or from another busybox, is
   * replaced rather than trusted, and a second call imports nothing.
   */
  static String ensure(DockerEngine engine, String repository, String tag, Path busybox) {
    byte[] rootFilesystem = rootFilesystem(busybox);
    String contentTag = "rootfs-" + sha256(rootFilesystem).substring(0, 16);
    String imported =
        engine
            .imageId(repository + ":" + contentTag)
            .orElseGet(
                () -> {
                  String id = engine.importImage(repository, contentTag, rootFilesystem);
                  engine.tagImage(id, repository, contentTag);
                  return id;
                });
    if (!engine.imageId(repository + ":" + tag).filter(imported::equals).isPresent()) {
      engine.tagImage(imported, repository, tag);
    }
    return imported;
  }

  /** The image's root filesystem as a tar archive. */
  static byte[] rootFilesystem(Path busybox) {
    if (!Files.isRegularFile(busybox)) {
      throw new IllegalStateException(
          "the test agent image needs a static busybox at " + busybox + "; none is there");
    }
    if (isDynamicallyLinked(busybox)) {
      throw new IllegalStateException(
          busybox
              + " is dynamically linked and cannot run alone in an image;"
              + " install a static busybox (Debian and Ubuntu: busybox-static)");
    }
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      directory(out, "bin/", 0755);
      directory(out, "etc/", 0755);
      directory(out, "tmp/", 01777);
      directory(out, "www/", 0755);
      file(out, "bin/busybox", Files.readAllBytes(busybox), 0755);
      for (String applet : APPLETS) {
        TarArchiveEntry link = entry("bin/" + applet, TarConstants.LF_SYMLINK);
        link.setLinkName("busybox");
        link.setMode(0777);
        out.putArchiveEntry(link);
        out.closeArchiveEntry();
      }
      file(
          out,
          "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
              .getBytes(StandardCharsets.UTF_8),
          0644);
      file(
          out, "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
      file(out, "www/index.html", INDEX_HTML.getBytes(StandardCharsets.UTF_8), 0644);
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the test agent's root filesystem", e);
    }
    return tar.toByteArray();
  }

  private static void directory(TarArchiveOutputStream out, String name, int mode)
      throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_DIR);
    entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
    out.putArchiveEntry(entry);
    out.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream out, String name, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL);
    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
    entry.setSize(content.length);
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }

  /** An entry owned by root with a fixed time, so that the same files make the same archive. */
  private static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type);
    entry.setModTime(FileTime.from(EPOCH));
    entry.setIds(0, 0);
    entry.setNames("root", "root");
    return entry;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether an ELF executable names a program interpreter (the dynamic loader). */
  static boolean isDynamicallyLinked(Path executable) {
    try (FileChannel file = FileChannel.open(executable)) {
      ByteBuffer header = ByteBuffer.allocate(64);
      file.read(header, 0);
      header.flip();
      if (header.limit() < 52 || header.getInt(0) != 0x7f454c46) {
        throw new IllegalStateException(executable + " is not an ELF executable");
      }
      boolean is64 = header.get(4) == 2;
      header.order(header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long programHeaders = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
      int entrySize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
      int entries = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
      ByteBuffer entry = ByteBuffer.allocate(4).order(header.order());
      for (int i = 0; i < entries; i++) {
        entry.clear();
        file.read(entry, programHeaders + (long) i * entrySize);
        if (entry.getInt(0) == ELF_PROGRAM_INTERPRETER) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + executable, e);
    }
  }
}
