package org.hybridrerank.solr.context;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.hybridrerank.solr.context.ContextPacker.Packed;
import org.hybridrerank.solr.context.ContextPacker.Passage;
import org.hybridrerank.solr.context.ContextPacker.StoppedBy;
import org.junit.Test;

/** The packing rule on hand-computed pages: budget edges, the threshold, order, and a page that runs out. */
public class ContextPackerTest {
    private static Passage p(String id, int tokens, Double confidence) {
        return new Passage(id, confidence != null, 0, tokens, "x".repeat(tokens), tokens, confidence);
    }

    private static List<String> ids(Packed packed) {
        return packed.passages().stream().map(Passage::id).toList();
    }

    /** 100 + 200 + 300 = 600 tokens. */
    private static final List<Passage> PAGE = List.of(p("a", 100, 0.9), p("b", 200, 0.7), p("c", 300, 0.5));

    @Test
    public void aPassageThatFillsTheBudgetExactlyFits() {
        Packed packed = ContextPacker.pack(PAGE, 600, null);
        assertEquals(List.of("a", "b", "c"), ids(packed));
        assertEquals(600, packed.tokensUsed());
        // every passage went in: the page, not the budget, ended it
        assertEquals(StoppedBy.CANDIDATES, packed.stoppedBy());
    }

    @Test
    public void oneTokenOverStopsAtThatPassage() {
        Packed packed = ContextPacker.pack(PAGE, 599, null);
        assertEquals(List.of("a", "b"), ids(packed));
        assertEquals(300, packed.tokensUsed());
        assertEquals(StoppedBy.BUDGET, packed.stoppedBy());
    }

    @Test
    public void aPassageThatDoesNotFitStopsPackingEvenWhenALaterOneWould() {
        // 100 fits in 250; b (200) does not fit the 150 left; c would not either, d (10) would: packing stops at b
        List<Passage> page = List.of(p("a", 100, null), p("b", 200, null), p("c", 300, null), p("d", 10, null));
        Packed packed = ContextPacker.pack(page, 250, null);
        assertEquals(List.of("a"), ids(packed));
        assertEquals(100, packed.tokensUsed());
        assertEquals(StoppedBy.BUDGET, packed.stoppedBy());
    }

    @Test
    public void theFirstPassageAloneCanExceedTheBudget() {
        Packed packed = ContextPacker.pack(PAGE, 99, null);
        assertEquals(List.of(), ids(packed));
        assertEquals(0, packed.tokensUsed());
        assertEquals(StoppedBy.BUDGET, packed.stoppedBy());
    }

    @Test
    public void aConfidenceBelowTheMinimumStopsPacking() {
        // b's 0.7 is below 0.75: a only, though the budget holds everything and c is checked never
        Packed packed = ContextPacker.pack(PAGE, 10_000, 0.75);
        assertEquals(List.of("a"), ids(packed));
        assertEquals(StoppedBy.THRESHOLD, packed.stoppedBy());
        // equal to the minimum passes
        Packed equal = ContextPacker.pack(PAGE, 10_000, 0.7);
        assertEquals(List.of("a", "b"), ids(equal));
        assertEquals(StoppedBy.THRESHOLD, equal.stoppedBy());
        // a minimum of 0 keeps every confidence
        assertEquals(StoppedBy.CANDIDATES, ContextPacker.pack(PAGE, 10_000, 0.0).stoppedBy());
    }

    @Test
    public void aHeadHasNoConfidenceSoAMinimumStopsAtIt() {
        List<Passage> page = List.of(p("a", 10, 0.9), p("head", 10, null), p("c", 10, 0.95));
        Packed packed = ContextPacker.pack(page, 1000, 0.1);
        assertEquals(List.of("a"), ids(packed));
        assertEquals(StoppedBy.THRESHOLD, packed.stoppedBy());
        // without a minimum the head is packed like any passage
        assertEquals(List.of("a", "head", "c"), ids(ContextPacker.pack(page, 1000, null)));
    }

    @Test
    public void theThresholdIsCheckedBeforeTheBudget() {
        // b fails both: reported as threshold
        Packed packed = ContextPacker.pack(PAGE, 150, 0.8);
        assertEquals(List.of("a"), ids(packed));
        assertEquals(StoppedBy.THRESHOLD, packed.stoppedBy());
    }

    @Test
    public void theOrderIsThePagesNeverTheConfidences() {
        List<Passage> page = List.of(p("low", 5, 0.2), p("high", 5, 0.99), p("mid", 5, 0.5), p("zero", 0, 0.3));
        Packed packed = ContextPacker.pack(page, 100, null);
        assertEquals(List.of("low", "high", "mid", "zero"), ids(packed));
        assertEquals(15, packed.tokensUsed());
        assertEquals(StoppedBy.CANDIDATES, packed.stoppedBy());
    }

    @Test
    public void anEmptyPageEndsByCandidates() {
        Packed packed = ContextPacker.pack(List.of(), 10, 0.5);
        assertEquals(List.of(), ids(packed));
        assertEquals(0, packed.tokensUsed());
        assertEquals(StoppedBy.CANDIDATES, packed.stoppedBy());
    }

    @Test
    public void passagesAfterTheStopAreNeverPulled() {
        List<String> pulled = new ArrayList<>();
        Iterator<Passage> source = PAGE.iterator();
        Iterator<Passage> counting = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Passage next() {
                Passage next = source.next();
                pulled.add(next.id());
                return next;
            }
        };
        ContextPacker.pack(counting, 150, null);
        assertEquals(List.of("a", "b"), pulled);
    }
}
