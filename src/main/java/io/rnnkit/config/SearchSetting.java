package io.rnnkit.config;

/**
 * One field of a search candidate: {@code path=value}, applied exactly as {@code --set path=value}, or, with
 * {@code count}, the number of entries of the list at {@code path} (the depth of {@code model.layers}).
 */
public record SearchSetting(String path, String value, boolean count) implements java.io.Serializable {
    @Override
    public String toString() {
        return count ? path + " count=" + value : path + "=" + value;
    }
}
