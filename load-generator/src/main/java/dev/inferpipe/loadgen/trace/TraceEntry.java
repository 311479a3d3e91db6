package dev.inferpipe.loadgen.trace;

/**
 * One request of a trace.
 *
 * @param offsetMicros when to send it, from the start of the run
 * @param id the request's id (also in its body)
 * @param model the model it is for
 * @param timeoutMs its deadline
 * @param body the Open Inference Protocol request body, as sent
 */
public record TraceEntry(long offsetMicros, String id, String model, long timeoutMs, byte[] body) {}
