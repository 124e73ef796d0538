/**
 * The director's per-worker flow state: {@link org.example.lb.l4.flow.FlowTable} maps 5-tuples to backend slots
 * with LRU eviction and exact idle timeouts, in preallocated arrays (no allocation per packet).
 */
package org.example.lb.l4.flow;
