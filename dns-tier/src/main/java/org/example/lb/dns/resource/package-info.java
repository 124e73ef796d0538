/**
 * Dynamic address resources with gdnsd's semantics: multifo, simplefo and weighted
 * ({@link org.example.lb.dns.resource.Resource}) select their answer from a health snapshot;
 * {@link org.example.lb.dns.resource.DynamicAnswers} binds names to them in a table build and, on each health change,
 * recompiles and publishes the chunks of the resources whose selection changed.
 */
package org.example.lb.dns.resource;
