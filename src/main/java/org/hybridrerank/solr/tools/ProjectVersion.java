package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version} of every bin/ command: the pom's project version, written into version.properties by
 * Maven's resource filtering, so the pom stays its one source.
 */
public final class ProjectVersion implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    /** The project version, e.g. {@code 0.1.0}. */
    public static String get() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing: build with mvn");
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"solr-hybrid-rerank " + get()};
    }
}
