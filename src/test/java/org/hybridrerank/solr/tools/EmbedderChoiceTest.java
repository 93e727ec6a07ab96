package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.Test;

/** {@code bin/demo --embedder}: a name of a model the build unpacks, or a folder. */
public class EmbedderChoiceTest {
    @Test
    public void bothShippedNamesResolveToTheFoldersTheBuildUnpacks() {
        for (String name : new String[] {"bge-small-en-v15-q", "all-minilm-l6-v2-q"}) {
            assertEquals(Path.of("target", "models", name).toAbsolutePath().normalize(), EmbedderChoice.resolve(name));
        }
        assertEquals("the default", "bge-small-en-v15-q", EmbedderChoice.DEFAULT);
    }

    @Test
    public void aFolderIsTakenAsItIs() {
        assertEquals(
                SharedData.embedderDir(),
                EmbedderChoice.resolve(SharedData.embedderDir().toString()));
    }

    @Test
    public void anUnknownNameIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EmbedderChoice.resolve("bge-large"));
        assertTrue(
                e.getMessage(),
                e.getMessage().contains("--embedder bge-large")
                        && e.getMessage().contains("[bge-small-en-v15-q, all-minilm-l6-v2-q]"));
    }
}
