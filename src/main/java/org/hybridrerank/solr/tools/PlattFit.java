package org.hybridrerank.solr.tools;

/**
 * Platt scaling: the logistic regression {@code P(relevant | s) = 1 / (1 + exp(-(a·s + b)))} of relevance on a
 * model score s, fitted by maximum likelihood with Newton's method and a backtracking line search (Lin, Lin and
 * Weng, "A note on Platt's probabilistic outputs for support vector machines", 2007). Labels are Platt's
 * smoothed targets — {@code (P+1)/(P+2)} for the P relevant pairs, {@code 1/(N+2)} for the N others — which keep the
 * fit finite when the scores separate the labels and move it by under 1/(P+2) otherwise.
 *
 * @param a slope on the score (positive: confidence rises with the score)
 * @param b intercept
 * @param seA standard error of a, from the inverse of the observed information at the fit
 * @param seB standard error of b, likewise
 * @param iterations Newton steps taken
 */
record PlattFit(double a, double b, double seA, double seB, int iterations) {
    private static final int MAX_ITERATIONS = 100;
    private static final double MIN_STEP = 1e-10;
    /** Added to the Hessian's diagonal, so that a degenerate sample (one label, one score) still solves. */
    private static final double RIDGE = 1e-12;

    /** The fit to {@code scores} with labels {@code relevant} (aligned); needs at least one pair. */
    static PlattFit fit(double[] scores, boolean[] relevant) {
        int n = scores.length;
        if (n == 0 || relevant.length != n) throw new IllegalArgumentException("no scores to fit");
        int positives = 0;
        for (boolean r : relevant) if (r) positives++;
        int negatives = n - positives;
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (negatives + 2.0);
        double[] target = new double[n];
        for (int i = 0; i < n; i++) target[i] = relevant[i] ? hi : lo;

        double a = 0;
        double b = Math.log((positives + 1.0) / (negatives + 1.0));
        double f = loss(scores, target, a, b);
        int it = 0;
        for (; it < MAX_ITERATIONS; it++) {
            double ga = 0, gb = 0, haa = RIDGE, hab = 0, hbb = RIDGE;
            for (int i = 0; i < n; i++) {
                double p = sigmoid(a * scores[i] + b);
                double d = p - target[i];
                ga += d * scores[i];
                gb += d;
                double w = p * (1 - p);
                haa += w * scores[i] * scores[i];
                hab += w * scores[i];
                hbb += w;
            }
            if (Math.abs(ga) < 1e-9 * n && Math.abs(gb) < 1e-9 * n) break;
            double det = haa * hbb - hab * hab;
            double da = -(hbb * ga - hab * gb) / det;
            double db = -(-hab * ga + haa * gb) / det;
            double slope = ga * da + gb * db;
            double step = 1;
            while (step >= MIN_STEP) {
                double na = a + step * da;
                double nb = b + step * db;
                double nf = loss(scores, target, na, nb);
                if (nf < f + 1e-4 * step * slope) {
                    a = na;
                    b = nb;
                    f = nf;
                    break;
                }
                step /= 2;
            }
            if (step < MIN_STEP) break; // no step lowers the loss: at the optimum up to rounding
        }
        // standard errors: the inverse of the observed information (the Hessian of the loss) at the fit
        double haa = 0, hab = 0, hbb = 0;
        for (int i = 0; i < n; i++) {
            double p = sigmoid(a * scores[i] + b);
            double w = p * (1 - p);
            haa += w * scores[i] * scores[i];
            hab += w * scores[i];
            hbb += w;
        }
        double det = haa * hbb - hab * hab;
        double seA = det > 0 ? Math.sqrt(hbb / det) : Double.POSITIVE_INFINITY;
        double seB = det > 0 ? Math.sqrt(haa / det) : Double.POSITIVE_INFINITY;
        return new PlattFit(a, b, seA, seB, it);
    }

    double confidence(double score) {
        return sigmoid(a * score + b);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
    }

    /** Negative log-likelihood of the targets: sum of log(1 + e^z) - t·z, computed without overflow. */
    private static double loss(double[] scores, double[] target, double a, double b) {
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            double z = a * scores[i] + b;
            double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            sum += softplus - target[i] * z;
        }
        return sum;
    }
}
