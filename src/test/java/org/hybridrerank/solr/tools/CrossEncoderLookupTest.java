package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** bin/demo's search for --cross-encoder NAME, and the command it names when the model is missing. */
public class CrossEncoderLookupTest {
    private static final String NAME = "ms-marco-MiniLM-L-6-v2";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path shared;
    private Path fetchDest;

    @Before
    public void folders() throws Exception {
        shared = tmp.newFolder("shared-models").toPath();
        fetchDest = tmp.newFolder("solr-conf-models").toPath();
    }

    private static Path modelIn(Path parent) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(NAME));
        Files.writeString(dir.resolve("model.onnx"), "graph");
        return dir;
    }

    @Test
    public void findsWhatModelsFetchInstalledWhenTheSharedFolderLacksIt() throws Exception {
        Path installed = modelIn(fetchDest);
        assertEquals(
                Optional.of(installed),
                CrossEncoderLookup.of(NAME, null, shared, fetchDest).find());
    }

    @Test
    public void theSharedFolderComesFirst() throws Exception {
        Path inShared = modelIn(shared);
        modelIn(fetchDest);
        assertEquals(
                Optional.of(inShared),
                CrossEncoderLookup.of(NAME, null, shared, fetchDest).find());
    }

    @Test
    public void modelsOptionIsTheOnlyPlaceLookedAt() throws Exception {
        modelIn(fetchDest);
        Path chosen = tmp.newFolder("chosen").toPath();
        CrossEncoderLookup lookup = CrossEncoderLookup.of(NAME, chosen, shared, fetchDest);
        assertFalse(lookup.find().isPresent());
        assertTrue(lookup.missingMessage(Set.of(NAME))
                .contains("install it with: models/fetch " + NAME + " --dest " + chosen));
    }

    @Test
    public void aMissingPinnedModelNamesTheFetchCommand() throws Exception {
        Files.createDirectories(fetchDest.resolve(NAME)); // a folder without model.onnx does not count
        CrossEncoderLookup lookup = CrossEncoderLookup.of(NAME, null, shared, fetchDest);
        assertFalse(lookup.find().isPresent());
        String message = lookup.missingMessage(Set.of(NAME));
        assertTrue(
                message,
                message.contains(fetchDest.resolve(NAME).resolve("model.onnx").toString()));
        assertTrue(message, message.contains("install it with: models/fetch " + NAME + "   (add --int8"));
    }

    @Test
    public void aMissingUnpinnedModelDoesNotSuggestFetch() {
        String message =
                CrossEncoderLookup.of("my-model", null, shared, fetchDest).missingMessage(Set.of(NAME));
        assertFalse(message, message.contains("models/fetch"));
        assertTrue(message, message.contains("--models DIR"));
    }

    @Test
    public void pinnedNamesAreTheFirstColumnOfTheRepositoryPins() {
        Set<String> names = CrossEncoderLookup.pinnedNames(CrossEncoderLookup.PINS);
        assertEquals(Set.of(NAME), names);
    }
}
