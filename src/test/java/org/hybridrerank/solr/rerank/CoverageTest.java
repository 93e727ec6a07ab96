package org.hybridrerank.solr.rerank;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Set;
import org.junit.Test;

/** The coverage rule: the longest scored prefix of the window, down to a chunk's edge unless it is the whole window. */
public class CoverageTest {
    private static Coverage of(int window, Set<Integer> unscored) {
        return Coverage.of(window, place -> !unscored.contains(place));
    }

    @Test
    public void aScoredWindowIsComplete() {
        Coverage all = of(20, Set.of());
        assertTrue(all.complete());
        assertEquals("20/20", all.label());
        assertTrue(of(0, Set.of()).complete());
    }

    @Test
    public void thePrefixStopsAtTheFirstUnscoredPlaceAndAtAChunksEdge() {
        assertEquals(16, of(20, Set.of(16, 17, 18, 19)).covered());
        // a scored place after the gap (a shard that went on, or a cached score) does not extend the prefix
        assertEquals(8, of(20, Set.of(9)).covered());
        // places 8..12 scored by some shards only: the chunk is not covered
        assertEquals(8, of(30, Set.of(13)).covered());
        assertEquals(0, of(20, Set.of(3)).covered());
        assertFalse(of(20, Set.of(3)).complete());
        assertEquals("0/20", of(20, Set.of(0)).label());
    }

    @Test
    public void theLastChunkMayBeShort() {
        assertEquals(new Coverage(20, 20), of(20, Set.of()));
        assertEquals(16, of(20, Set.of(19)).covered());
        assertEquals(2, Coverage.chunkOf(16));
        assertEquals(1, Coverage.chunkOf(15));
    }
}
