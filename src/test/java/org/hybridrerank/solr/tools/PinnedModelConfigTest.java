package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.ModelDirectory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every model models/pins.txt pins has the plugin's own config.json beside it (models/fetch installs that one, not
 * the transformer config from Hugging Face), and the plugin reads it as intended.
 */
public class PinnedModelConfigTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void eachPinnedModelHasAPluginConfig() {
        Set<String> names = CrossEncoderLookup.pinnedNames(CrossEncoderLookup.PINS);
        assertFalse(names.isEmpty());
        for (String name : names) {
            Path config = CrossEncoderLookup.PINS.resolveSibling(name).resolve("config.json");
            assertTrue("missing " + config, Files.isRegularFile(config));
        }
    }

    @Test
    public void msMarcoConfigGivesTheTrainedLengthAndTheLogitsOutput() throws Exception {
        Path dir = tmp.newFolder("ms-marco-MiniLM-L-6-v2").toPath();
        Files.copy(Path.of("models", "ms-marco-MiniLM-L-6-v2", "config.json"), dir.resolve("config.json"));
        Files.writeString(dir.resolve("model.onnx"), "not read here");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        CrossEncoderSettings settings =
                CrossEncoderSettings.defaultsFor(ModelDirectory.open(dir)).build();
        assertEquals(512, settings.maxLength());
        assertEquals("logits", settings.outputName());
    }
}
