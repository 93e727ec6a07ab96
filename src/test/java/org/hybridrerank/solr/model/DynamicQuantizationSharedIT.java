package org.hybridrerank.solr.model;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Shared suite (needs ../shared): the shipped int8 cross-encoder is recognised as dynamically quantized, the fp32
 * one and the oracle are not.
 */
public class DynamicQuantizationSharedIT {
    @BeforeClass
    public static void requireSharedData() {
        SharedData.require();
    }

    @Test
    public void recognisesTheSharedModels() {
        String file = ModelDirectory.MODEL_FILE;
        assertTrue(DynamicQuantization.in(
                SharedData.model(SharedData.CROSS_ENCODER_INT8).resolve(file)));
        assertFalse(DynamicQuantization.in(
                SharedData.model(SharedData.CROSS_ENCODER).resolve(file)));
        assertFalse(DynamicQuantization.in(OverlapOracle.dir().resolve(ModelDirectory.MODEL_FILE)));
    }
}
