package org.hybridrerank.solr.tools;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one owner of bin/demo's stop. {@link Demo#call()} runs it on Ctrl-C (SIGINT) and SIGTERM before the JVM
 * begins to exit, and as a shutdown hook for any other exit. {@link #run()}: while the dataset is being indexed it
 * asks the indexer to stop sending, waits (at most {@link #INDEXING_WAIT}) for the batch in flight and the commit
 * of what Solr acknowledged, and prints
 * {@code indexed N of M documents; run bin/demo again to continue}; then, in every phase, it stops Solr
 * gracefully. Solr is stopped once, whoever asks ({@link #stopSolr}: the hook, {@code --exit-when-ready}, a test
 * closing the demo).
 *
 * <p>Why before the JVM exits, not in a shutdown hook alone: ONNX Runtime's own hook frees its environment (the
 * thread pools every session runs on) as the JVM exits, concurrently with the other hooks, so an embedding still
 * running then crashes the JVM. Stopped first, Solr has closed its models before that hook runs.
 */
final class DemoStop implements Runnable {
    /** How long a stop waits for the batch in flight and the commit before it stops Solr under them. */
    static final Duration INDEXING_WAIT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final CountDownLatch done = new CountDownLatch(1);
    private Demo.StopAction solr;
    private boolean solrStopped;
    private boolean stopping;
    private int signalExit;
    private DatasetIndexer indexer;
    private CountDownLatch indexingEnded;
    private DatasetIndexer.Report report;
    private long indexedBefore;
    private long documents;
    private boolean resumable;

    DemoStop(PrintStream out) {
        this.out = out;
    }

    /** Solr is up: a stop from now on stops it with {@code stop}. */
    synchronized void solrStarted(Demo.StopAction stop) {
        solr = stop;
    }

    /**
     * The indexing of {@code documents} begins, {@code indexedBefore} of them being in the index already; a
     * {@code resumable} index is completed by the next start. False when a stop has begun: do not index.
     */
    synchronized boolean indexing(DatasetIndexer run, long indexedBefore, long documents, boolean resumable) {
        if (stopping) return false;
        this.indexer = run;
        this.indexingEnded = new CountDownLatch(1);
        this.indexedBefore = indexedBefore;
        this.documents = documents;
        this.resumable = resumable;
        return true;
    }

    /** The indexing returned (its report; null when it failed): Solr is no longer used by it. */
    void indexingEnded(DatasetIndexer.Report ended) {
        CountDownLatch latch;
        synchronized (this) {
            report = ended;
            latch = indexingEnded;
        }
        if (latch != null) latch.countDown();
    }

    /** Whether a stop (Ctrl-C, SIGTERM) has begun: the demo then ends quietly, the stop speaks for it. */
    synchronized boolean stopping() {
        return stopping;
    }

    /** Stops Solr if it runs and was not stopped yet. */
    void stopSolr() throws Exception {
        Demo.StopAction stop;
        synchronized (this) {
            if (solr == null || solrStopped) return;
            solrStopped = true;
            stop = solr;
        }
        stop.run();
    }

    /** Waits until a stop has run to its end. */
    void awaitStopped() throws InterruptedException {
        done.await();
    }

    /** Stops for a signal (its exit code: 128 + its number), then exits the JVM with that code. */
    void signalled(int exitCode) {
        synchronized (this) {
            if (signalExit == 0) signalExit = exitCode;
        }
        run();
        System.exit(exitCode);
    }

    /** The exit code of the signal that stopped the demo; 0 when none did. */
    synchronized int signalExit() {
        return signalExit;
    }

    @Override
    public void run() {
        boolean first;
        DatasetIndexer run;
        CountDownLatch ended;
        synchronized (this) {
            first = !stopping;
            stopping = true;
            run = indexer;
            ended = indexingEnded;
        }
        if (!first) { // a stop is under way (a second signal, then the shutdown hook): wait for its end
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (run != null) stopIndexing(run, ended);
            try {
                stopSolr();
            } catch (Exception e) {
                System.err.println("stopping Solr: " + e);
            }
        } finally {
            out.flush();
            done.countDown();
        }
    }

    private void stopIndexing(DatasetIndexer run, CountDownLatch ended) {
        run.stop();
        boolean returned;
        try {
            returned = ended.await(INDEXING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            returned = false;
        }
        DatasetIndexer.Report r;
        synchronized (this) {
            r = report;
        }
        if (returned && r != null && !r.stopped()) return; // it had sent everything: a complete index
        // past the wait the batch in flight is not counted; Solr commits what it holds as it stops
        long indexed = indexedBefore + (returned && r != null ? r.accepted() : run.accepted());
        out.println("indexed " + indexed + " of " + documents + " documents; "
                + (resumable ? "run bin/demo again to continue" : "stopped"));
    }
}
