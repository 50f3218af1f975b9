package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.natives.NativeCommitter;
import com.starrocks.connector.flink.natives.StarRocksException;

import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;

/**
 * Commits prepared transactions once their checkpoint completes. Idempotent: a transaction that is
 * already committed (a restored committable) counts as done. A commit that fails all its retries,
 * or a transaction StarRocks aborted, fails the job: nothing is logged and swallowed.
 */
public class StarRocksCommitter implements Committer<StarRocksCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(StarRocksCommitter.class);

    private final NativeCommitter committer;

    public StarRocksCommitter(Map<String, String> options) {
        this.committer = NativeCommitter.create(options);
    }

    @Override
    public void commit(Collection<CommitRequest<StarRocksCommittable>> requests) {
        for (CommitRequest<StarRocksCommittable> request : requests) {
            StarRocksCommittable c = request.getCommittable();
            try {
                if (committer.commit(c.getDatabase(), c.getTable(), c.getLabel())) {
                    LOG.info("{} was committed already", c);
                    request.signalAlreadyCommitted();
                } else {
                    LOG.debug("committed {}", c);
                }
            } catch (StarRocksException e) {
                LOG.error("cannot commit {}: {}", c, e.getMessage());
                request.signalFailedWithUnknownReason(e);
            }
        }
    }

    @Override
    public void close() {
        committer.close();
    }
}
