package io.rnnkit.config;

@Doc("Data bigger than memory: one pass writes a binary cache (float32 values, index, labels) under cacheDir, keyed by the data"
        + " files and this data section, and minibatches are read from it, shuffled by shards; the heap then holds a shard, not the data.")
public record StreamingConfig(
        @Doc("auto (streamed when the data files are larger than thresholdBytes), always, or never.") @Default("auto") StreamingMode enabled,
        @Doc("Size of the data files above which auto streams; 0: a sixteenth of the JVM's maximum heap (a file in memory takes"
                + " 10-20 times its size on the heap).") @Default("0") @Range(min = 0) long thresholdBytes,
        @Doc("Sequences per shard: minibatches are drawn from shards taken in a seeded order, each shuffled within (seeded); the"
                + " normalizer is fitted over shards. 0: as many as maxHeapBytes allows.") @Default("0") @Range(min = 0) int shardSize,
        @Doc("Heap the streaming path may hold for one shard of sequences (as read values and as tensors).") @Default("67108864")
        @Range(min = 1048576) long maxHeapBytes,
        @Doc("Folder of the cache; one subfolder per key, written once and atomically. Default: $RNNKIT_CACHE, else"
                + " ~/.cache/rnnkit/streaming.") @Optional String cacheDir) {
    public StreamingConfig {
        Constraints.check(StreamingConfig.class, enabled, thresholdBytes, shardSize, maxHeapBytes, cacheDir);
    }
}
