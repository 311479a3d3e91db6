package dev.inferpipe.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./profile apply}: writes, reports what changed, has a dry run, refuses bad profiles. */
class ProfileCommandTest {
  @TempDir Path root;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void applyRendersTheOverlayAndTheLocalRunAndReportsChanges() throws IOException {
    copyProfile("production");

    assertThat(run("apply", "production")).isEqualTo(0);
    assertThat(out.toString())
        .contains("created k8s/overlays/production/kustomization.yaml")
        .contains("created .pipeline/profiles/production/worker.properties")
        .contains("deploy: kubectl apply -k k8s/overlays/production");
    assertThat(root.resolve("k8s/overlays/production/worker-patch.yaml")).exists();

    editProfile("production", "batchSize: 64", "batchSize: 96");
    out.getBuffer().setLength(0);
    assertThat(run("apply", "production")).isEqualTo(0);
    assertThat(out.toString())
        .contains("changed .pipeline/profiles/production/worker.properties")
        .contains("- worker.batch-size=64")
        .contains("+ worker.batch-size=96")
        .doesNotContain("kustomization.yaml");
  }

  @Test
  void aDryRunWritesNothing() throws IOException {
    copyProfile("production");

    assertThat(run("apply", "--dry-run")).isEqualTo(0);
    assertThat(out.toString())
        .contains("would create k8s/overlays/production/worker-patch.yaml")
        .contains("(dry run: nothing written)");
    assertThat(root.resolve("k8s")).doesNotExist();
    assertThat(root.resolve(".pipeline")).doesNotExist();
  }

  @Test
  void anInvalidProfileFailsNamingTheFieldAndTheReason() throws IOException {
    copyProfile("production");
    editProfile("production", "lagThreshold: 512", "lagThreshold: -3");

    assertThat(run("apply", "production")).isEqualTo(2);
    assertThat(err.toString())
        .contains("invalid profile profiles/production.yaml")
        .contains("autoscaling.lagThreshold must be between 1 and 1000000, was -3");
    assertThat(root.resolve("k8s")).doesNotExist();
  }

  @Test
  void anUnknownKeyFailsToo() throws IOException {
    copyProfile("production");
    editProfile("production", "  acks: all", "  acks: all\n  retries: 3");

    assertThat(run("apply", "production")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key producer.retries; expected one of");
  }

  @Test
  void anUnknownProfileIsNamedWithTheKnownOnes() throws IOException {
    copyProfile("production");

    assertThat(run("apply", "fastest")).isEqualTo(2);
    assertThat(err.toString()).contains("no such profile 'fastest'; known profiles: [production]");
  }

  private int run(String... args) {
    return ProfileCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(prepend("--root", root.toString(), args));
  }

  private static String[] prepend(String a, String b, String[] rest) {
    String[] all = new String[rest.length + 2];
    all[0] = a;
    all[1] = b;
    System.arraycopy(rest, 0, all, 2, rest.length);
    return all;
  }

  private void copyProfile(String name) throws IOException {
    Files.createDirectories(root.resolve("profiles"));
    Files.copy(
        Repository.root().resolve("profiles/" + name + ".yaml"),
        root.resolve("profiles/" + name + ".yaml"));
  }

  private void editProfile(String name, String from, String to) throws IOException {
    Path file = root.resolve("profiles/" + name + ".yaml");
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }
}
