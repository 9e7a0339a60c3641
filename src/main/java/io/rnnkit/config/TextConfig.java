package io.rnnkit.config;

@Doc("How text is read into token sequences (format: text).")
public record TextConfig(
        @Doc("character or word.") @Default("character") TextUnit unit,
        @Doc("lines (every line a sequence) or stream (the file cut into chunks of sequenceLength).") @Default("lines") TextMode mode,
        @Doc("stream: tokens per training sequence; lines: longest line kept, in tokens (longer lines are cut).")
        @Default("100") @Range(min = 2, max = 100000) int sequenceLength,
        @Doc("Lower-case the text before tokenizing.") @Default("false") boolean lowercase,
        @Doc("lines only: each line is text, this separator, and the line's class (many-to-one text classification), such as a tab.")
        @Optional String labelSeparator,
        @Doc("Words seen fewer times in the training text become the unknown token.") @Default("1") @Range(min = 1) int minCount) {
    public TextConfig {
        Constraints.check(TextConfig.class, unit, mode, sequenceLength, lowercase, labelSeparator, minCount);
    }
}
