/** bgp-speaker: announces service prefixes through the local gobgpd's gRPC API while the service is healthy. */
package org.example.lb.bgp;
