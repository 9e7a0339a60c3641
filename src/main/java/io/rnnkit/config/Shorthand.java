package io.rnnkit.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A section that may also be written as one scalar, which then sets the named field and leaves the others at their
 * defaults: {@code duplicates: mean} reads as {@code duplicates: {policy: mean}}, so a config written before the
 * section grew more fields stays valid.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Shorthand {
    /** The field a scalar sets. */
    String value();
}
