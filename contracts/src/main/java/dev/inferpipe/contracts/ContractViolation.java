package dev.inferpipe.contracts;

/**
 * A message that breaks the contract: names the offending field (a JSON path such as {@code
 * inputs[0].shape}) and what was expected. It carries no stack trace: it is an expected outcome on
 * a hot path, not a bug.
 */
public final class ContractViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public ContractViolation(String field, String expectation) {
    super(field.isEmpty() ? expectation : field + ": " + expectation, null, false, false);
    this.field = field;
  }

  /** The JSON path of the offending field, or an empty string for the message as a whole. */
  public String field() {
    return field;
  }
}
