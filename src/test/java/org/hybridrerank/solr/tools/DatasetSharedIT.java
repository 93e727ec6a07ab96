package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/** Shared suite (needs ../shared): BEIR SciFact as distributed reads whole, with its known sizes. */
public class DatasetSharedIT {
    @BeforeClass
    public static void requireSharedData() {
        SharedData.require();
    }

    @Test
    public void readsScifact() throws Exception {
        Dataset ds = Dataset.open(SharedData.scifact());
        assertEquals("beir", ds.format());
        assertEquals(300, ds.qrels("test").size());
        assertEquals(1109, ds.queries().size());
        int[] count = {0};
        ds.documents(d -> count[0]++);
        assertEquals(5183, count[0]);
        assertThrows(IllegalArgumentException.class, () -> ds.qrels("dev"));
    }
}
