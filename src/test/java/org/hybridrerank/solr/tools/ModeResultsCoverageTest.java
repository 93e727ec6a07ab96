package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** bin/eval's mean coverage: ok 1, partial N/K of rerank.coverage, timeout and error 0; skipped answers not counted. */
public class ModeResultsCoverageTest {
    private static void add(ModeResults r, String status, String coverage) {
        r.add(
                "q",
                "a query",
                List.of("1"),
                List.of(1f),
                Map.of("1", 1),
                1,
                Map.of(),
                new ModeResults.RerankHeader(status, null, coverage));
    }

    @Test
    public void partialAnswersCountTheirShareOfTheWindow() {
        ModeResults r = new ModeResults(EvalMode.RRF_CE);
        add(r, "ok", null);
        add(r, "partial", "24/100");
        add(r, "timeout", null);
        add(r, "partial", "48/100");
        add(r, "skipped", null);
        double[] coverage = r.coverage();
        assertEquals((1 + 0.24 + 0 + 0.48) / 4, coverage[0], 1e-9);
        assertEquals(4, coverage[1], 0);
    }

    @Test
    public void unreadableOrAbsentCoverageIsNotCounted() {
        assertTrue(Double.isNaN(ModeResults.coverageOf("partial", null)));
        assertTrue(Double.isNaN(ModeResults.coverageOf("partial", "24")));
        assertTrue(Double.isNaN(ModeResults.coverageOf("partial", "x/100")));
        assertTrue(Double.isNaN(ModeResults.coverageOf(null, null)));
        assertEquals(0, ModeResults.coverageOf("error", null), 0);
        ModeResults firstStage = new ModeResults(EvalMode.RRF);
        add(firstStage, null, null);
        assertEquals(0, firstStage.coverage()[1], 0);
    }
}
