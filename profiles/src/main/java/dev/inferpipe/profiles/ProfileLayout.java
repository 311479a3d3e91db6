package dev.inferpipe.profiles;

import java.nio.file.Path;

/** Where profiles live and where their renderings go, relative to the repository root. */
public record ProfileLayout(Path root) {

  public ProfileLayout {
    root = root.toAbsolutePath().normalize();
  }

  public ProfileCatalog catalog() {
    return new ProfileCatalog(root.resolve("profiles"));
  }

  /** The Kustomize overlay of a profile: {@code k8s/overlays/<name>}. */
  public RenderedFolder overlay(PerformanceProfile profile) {
    return new RenderedFolder(
        root.resolve("k8s/overlays").resolve(profile.name()), OverlayRenderer.render(profile));
  }

  /** The local run's settings of a profile: {@code .pipeline/profiles/<name>}. */
  public RenderedFolder localRun(PerformanceProfile profile) {
    return new RenderedFolder(
        root.resolve(".pipeline/profiles").resolve(profile.name()),
        LocalRunRenderer.render(profile));
  }
}
