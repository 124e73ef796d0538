package org.example.lb.lab.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs root and the lab's tools (ip, nginx, haproxy, curl). Without them it is skipped,
 * or fails when the system property {@code lab.required} is {@code true} (bin/test as root, CI).
 * Tagged {@code lab}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("lab")
@ExtendWith(LabRequirement.class)
public @interface LabTest {}
