package com.starrocks.connector.flink.natives;

/** Where a writer runs and what it restores (the label spaces travel as flat strings). */
public final class WriterContext {
    private final int subtask;
    private final int parallelism;
    private final long restoredCheckpointId;
    private final String[] restoredLabelSpaces;
    private final String fallbackLabelPrefix;

    /**
     * @param restoredCheckpointId -1 when the writer starts without restored state
     * @param restoredLabelSpaces flat: prefix, database, table, subtask, next id
     * @param fallbackLabelPrefix exactly-once label prefix when {@code sink.label-prefix} is unset;
     *     must be unique per job
     */
    public WriterContext(
            int subtask,
            int parallelism,
            long restoredCheckpointId,
            String[] restoredLabelSpaces,
            String fallbackLabelPrefix) {
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.restoredCheckpointId = restoredCheckpointId;
        this.restoredLabelSpaces = restoredLabelSpaces.clone();
        this.fallbackLabelPrefix = fallbackLabelPrefix;
    }

    /** A single writer without restored state (tests, tools). */
    public static WriterContext standalone() {
        return new WriterContext(0, 1, -1, new String[0], "flink");
    }

    public int subtask() {
        return subtask;
    }

    public int parallelism() {
        return parallelism;
    }

    public long restoredCheckpointId() {
        return restoredCheckpointId;
    }

    public String[] restoredLabelSpaces() {
        return restoredLabelSpaces.clone();
    }

    public String fallbackLabelPrefix() {
        return fallbackLabelPrefix;
    }
}
