package dev.inferpipe.profiles;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./profile}: validates the performance profiles and applies one. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Validates the performance profiles and renders them for Kubernetes and ./pipeline.",
    subcommands = {
      ProfileCommand.Apply.class,
      ProfileCommand.Validate.class,
      ProfileCommand.Check.class
    })
public final class ProfileCommand {
  @Option(
      names = "--root",
      description = "the repository root (default: the current directory)",
      defaultValue = ".")
  Path root;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling: an invalid profile exits 2 with its problems. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new ProfileCommand());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof InvalidProfileException) {
            cmd.getErr().println(e.getMessage());
            return 2;
          }
          throw e;
        });
    return commandLine;
  }

  ProfileLayout layout() {
    return new ProfileLayout(root);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Renders a profile's overlay and local settings, printing what changed. */
  @Command(
      name = "apply",
      description =
          "Renders k8s/overlays/NAME and the local run's settings (.pipeline/profiles/NAME) and"
              + " prints what changed.")
  static final class Apply implements Callable<Integer> {
    @ParentCommand ProfileCommand parent;

    @Parameters(
        arity = "0..1",
        paramLabel = "NAME",
        defaultValue = ProfileCatalog.DEFAULT_PROFILE,
        description = "the profile (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--all", description = "apply every profile")
    boolean all;

    @Option(names = "--dry-run", description = "print what would change; write nothing")
    boolean dryRun;

    @Override
    public Integer call() {
      ProfileLayout layout = parent.layout();
      PrintWriter out = parent.out();
      List<String> names = all ? layout.catalog().names() : List.of(name);
      int changed = 0;
      for (String each : names) {
        PerformanceProfile profile = layout.catalog().load(each);
        changed += layout.overlay(profile).apply(dryRun, layout.root(), out);
        changed += layout.localRun(profile).apply(dryRun, layout.root(), out);
      }
      out.printf(
          "%s %d file(s) for %s%s%n",
          dryRun ? "would change" : "changed",
          changed,
          String.join(", ", names),
          dryRun ? " (dry run: nothing written)" : "");
      if (!dryRun) {
        names.forEach(each -> out.printf("deploy: kubectl apply -k k8s/overlays/%s%n", each));
      }
      return 0;
    }
  }

  /** Validates profiles without writing anything. */
  @Command(name = "validate", description = "Checks profiles against the schema (default: all).")
  static final class Validate implements Callable<Integer> {
    @ParentCommand ProfileCommand parent;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "the profiles to check")
    List<String> names;

    @Override
    public Integer call() {
      ProfileCatalog catalog = parent.layout().catalog();
      for (String each : names == null ? catalog.names() : names) {
        PerformanceProfile profile = catalog.load(each);
        parent.out().printf("%-16s valid  %s%n", profile.name(), profile.description());
      }
      return 0;
    }
  }

  /** Fails when a committed overlay differs from what its profile renders. */
  @Command(
      name = "check",
      description = "Exits 1 when a committed overlay is not what its profile renders.")
  static final class Check implements Callable<Integer> {
    @ParentCommand ProfileCommand parent;

    @Override
    public Integer call() {
      ProfileLayout layout = parent.layout();
      int stale = 0;
      for (String each : layout.catalog().names()) {
        if (!layout.overlay(layout.catalog().load(each)).isUpToDate()) {
          parent.out().printf("k8s/overlays/%s is stale: run ./profile apply %s%n", each, each);
          stale++;
        }
      }
      if (stale == 0) {
        parent.out().println("every overlay matches its profile");
      }
      return stale == 0 ? 0 : 1;
    }
  }
}
