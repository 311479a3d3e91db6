package dev.inferpipe.autoscaler;

/**
 * The replicas one tick asks for, and why, in words for the timeline.
 *
 * @param replicas the desired replica count
 * @param reason which rule decided, e.g. {@code hpa ceil(1200/100)=12 capped} or {@code cooldown}
 */
public record Decision(int replicas, String reason) {}
