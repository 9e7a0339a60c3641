package io.rnnkit.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a field takes when the YAML leaves it out, written as YAML (so {@code "0.001"},
 * {@code "adam"}, {@code "[]"}, {@code "{}"} for a section whose fields all have defaults).
 * It is bound by the same code as user input, so a default can never bypass validation.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
