package io.rnnkit.bundle;

import java.util.List;

/**
 * What a saved model expects and returns, so an application need not guess shapes.
 *
 * @param topology  YAML name of the topology, such as {@code many-to-one}
 * @param kind      {@code classification} or {@code regression}
 * @param features  values per time step
 * @param outputs   classes or target values per answer
 * @param classes   class names in output order, or names of the target values
 * @param minLength shortest training sequence
 * @param maxLength longest training sequence
 */
public record InputContract(String topology, String kind, int features, int outputs, List<String> classes, int minLength, int maxLength) {
    public InputContract {
        classes = List.copyOf(classes);
    }
}
