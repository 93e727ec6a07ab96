package org.hybridrerank.solr.model;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.slf4j.LoggerFactory;

/** Loading a tokenizer leaves DJL's GPU probe unable to warn, while errors still get through. */
public class NativeLibraryLoggingTest {
    @Test
    public void theCudaProbeLogsNoWarningOnceATokenizerIsLoaded() {
        ModelDirectory dir = ModelDirectory.open(org.hybridrerank.solr.testutil.OverlapOracle.dir());
        try (PairEncoder encoder = new PairEncoder(
                dir.tokenizerFile(), CrossEncoderSettings.defaultsFor(dir).build())) {
            assertTrue("the tokenizer works", encoder.queryIds("vitamin d").length > 0);
            org.slf4j.Logger probe = LoggerFactory.getLogger(NativeLibraryLogging.CUDA_PROBE_LOGGER);
            assertFalse(probe.isWarnEnabled());
            assertTrue(probe.isErrorEnabled());
        }
    }
}
