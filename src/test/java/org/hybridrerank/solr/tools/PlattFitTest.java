package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

/** Platt scaling, the reliability table and the ECE on data whose true curve is known. */
public class PlattFitTest {
    /** n scores uniform in [-3, 3], labels drawn with P(relevant) = sigmoid(2x − 1), a fixed seed. */
    private static Object[] synthetic(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = -3 + 6 * r.nextDouble();
            y[i] = r.nextDouble() < PlattFit.sigmoid(2 * x[i] - 1);
        }
        return new Object[] {x, y};
    }

    /**
     * With 20,000 pairs the maximum-likelihood estimate lies within a few standard errors of the truth; the standard
     * errors come from the fit's own observed information (about 0.03 for a here), so "within 4 SE" is both tight
     * and a bound the seed does not get lucky against (and is checked to be small). Platt's smoothed targets move
     * the fit by far less (1/(P+2) ≈ 1e-4).
     */
    @Test
    public void recoversTheTrueSlopeAndIntercept() {
        Object[] data = synthetic(20_000, 42);
        PlattFit fit = PlattFit.fit((double[]) data[0], (boolean[]) data[1]);
        assertTrue("standard error of a is small: " + fit.seA(), fit.seA() < 0.05);
        assertTrue("standard error of b is small: " + fit.seB(), fit.seB() < 0.05);
        assertEquals("a", 2.0, fit.a(), 4 * fit.seA());
        assertEquals("b", -1.0, fit.b(), 4 * fit.seB());
        assertTrue("converged in a few Newton steps: " + fit.iterations(), fit.iterations() < 30);
    }

    @Test
    public void aCalibrationOfTheWrongScaleIsCorrected() {
        // the naive sigmoid(x) of scores whose true curve is sigmoid(2x-1) is off; the fit's ECE is near 0
        Object[] data = synthetic(20_000, 7);
        double[] x = (double[]) data[0];
        boolean[] y = (boolean[]) data[1];
        PlattFit fit = PlattFit.fit(x, y);
        double[] naive = new double[x.length];
        double[] fitted = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            naive[i] = PlattFit.sigmoid(x[i]);
            fitted[i] = fit.confidence(x[i]);
        }
        double before = Reliability.of(naive, y).ece();
        double after = Reliability.of(fitted, y).ece();
        assertTrue("naive ECE is large: " + before, before > 0.08);
        assertTrue("fitted ECE is small: " + after, after < 0.02);
    }

    @Test
    public void separableScoresStillGiveAFiniteFit() {
        double[] x = {-2, -1, 0, 1, 2, 3};
        boolean[] y = {false, false, false, true, true, true};
        PlattFit fit = PlattFit.fit(x, y);
        assertTrue(Double.isFinite(fit.a()) && Double.isFinite(fit.b()));
        assertTrue(fit.a() > 0);
        assertTrue(fit.confidence(3) > 0.5 && fit.confidence(-2) < 0.5);
    }

    @Test
    public void reliabilityBinsAndEceByHand() {
        // bin [0.1,0.2): 0.1, 0.1 (one relevant) → mean 0.1, observed 0.5, |diff| 0.4, weight 2/5
        // bin [0.9,1.0]: 0.9, 1.0, 0.95 (all relevant) → mean 0.95, observed 1.0, |diff| 0.05, weight 3/5
        double[] p = {0.1, 0.1, 0.9, 1.0, 0.95};
        boolean[] y = {true, false, true, true, true};
        Reliability r = Reliability.of(p, y);
        assertEquals(5, r.count());
        assertEquals(2, r.bins().get(1).count());
        assertEquals(0.5, r.bins().get(1).observed(), 1e-12);
        assertEquals(3, r.bins().get(9).count());
        assertEquals(0.95, r.bins().get(9).meanPredicted(), 1e-12);
        assertEquals(0, r.bins().get(5).count());
        assertEquals(2.0 / 5 * 0.4 + 3.0 / 5 * 0.05, r.ece(), 1e-12);
        assertEquals(9, Reliability.bin(1.0));
        assertEquals(0, Reliability.bin(0.0));
        assertEquals(3, Reliability.bin(0.3)); // 0.3·10 = 3.0000000000000004: the bin [0.3, 0.4)
    }

    @Test
    public void isotonicIsNonDecreasingAndFitsStepData() {
        double[] x = {1, 2, 3, 4, 5, 6};
        boolean[] y = {false, true, false, true, true, true};
        Isotonic iso = Isotonic.fit(x, y);
        // PAV: (0), (1,0) → 0.5 pooled, then 1, 1, 1
        assertEquals(0.0, iso.confidence(1), 1e-12);
        assertEquals(0.5, iso.confidence(2), 1e-12);
        assertEquals(0.5, iso.confidence(3), 1e-12);
        assertEquals(1.0, iso.confidence(6), 1e-12);
        double last = -1;
        for (double s = 0; s <= 7; s += 0.25) {
            assertTrue(iso.confidence(s) >= last);
            last = iso.confidence(s);
        }
    }
}
