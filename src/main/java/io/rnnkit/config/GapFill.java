package io.rnnkit.config;

/** How missing steps of a series (gaps in its cadence) are filled, up to data.series.maxGap steps. */
public enum GapFill {
    /** Gaps are not filled; windows are made within the runs between them. */
    NONE,
    /** Each missing step repeats the step before the gap. */
    FORWARD_FILL,
    /** Numbers interpolated linearly between the steps around the gap; categories forward-filled. */
    LINEAR
}
