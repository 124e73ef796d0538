/**
 * Maglev consistent hashing for the L4 director: {@link org.example.lb.l4.maglev.MaglevTable} (an immutable,
 * weighted lookup table built off the packet path) and {@link org.example.lb.l4.maglev.FlowHash} (allocation-free,
 * seed-fixed flow hashes, identical on every director).
 */
package org.example.lb.l4.maglev;
