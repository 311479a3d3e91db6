/** Deterministic synthetic texts for the model benchmark and the load generator. */
package dev.inferpipe.synthetic;
