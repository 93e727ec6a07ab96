package org.hybridrerank.solr.model;

import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Shared suite (needs ../shared): PairEncoderTest's pair check on the SciFact cross-encoder's own model folder,
 * whose tokenizer.json embeds defaults (truncation 128, fixed padding 128) that the plugin must override.
 */
public class PairEncoderSharedIT {
    @BeforeClass
    public static void requireSharedData() {
        SharedData.require();
    }

    @Test
    public void pairsEqualTheTokenizersPairEncodingOnTheScifactTokenizer() throws Exception {
        PairEncoderTest.checkAgainstTokenizer(SharedData.model(SharedData.CROSS_ENCODER));
    }
}
