package io.rnnkit.config;

@Doc("Sequence to sequence (topology: sequence-to-sequence): each line of text is a source, a tab and a target.")
public record TranslationConfig(
        @Doc("Longest source, in symbols; a longer source in the data is an error naming its line.")
        @Default("100") @Range(min = 1, max = 100000) int maxSourceLength,
        @Doc("Longest target, in symbols; a longer target in the data is an error naming its line. Decoding stops after this many symbols.")
        @Default("50") @Range(min = 1, max = 100000) int maxTargetLength,
        @Doc("A source symbol outside the vocabulary built from the training split (in the validation or test split, or at translate time): reject (an error naming it and its line) or unknown (read as <unk>).")
        @Default("reject") UnknownSymbols unknownSymbols,
        @Doc("Hypotheses kept while decoding: 1 is greedy (the likeliest symbol at every step), more is beam search.")
        @Default("1") @Range(min = 1, max = 64) int beamWidth,
        @Doc("Test pairs printed with their decoded translation after training.") @Default("5") @Range(min = 0, max = 1000) int samples) {
    public TranslationConfig {
        Constraints.check(TranslationConfig.class, maxSourceLength, maxTargetLength, unknownSymbols, beamWidth, samples);
    }
}
