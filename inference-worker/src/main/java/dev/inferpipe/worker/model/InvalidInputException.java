package dev.inferpipe.worker.model;

/** A request whose inputs do not fit the model; fails that request alone, as a 400. */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message, null, false, false);
  }
}
