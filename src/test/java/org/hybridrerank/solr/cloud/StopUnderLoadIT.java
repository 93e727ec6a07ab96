package org.hybridrerank.solr.cloud;

/** {@link NodeDownUnderLoad} with SIGTERM: Solr's shutdown closes cores while requests run on them. */
public class StopUnderLoadIT extends NodeDownUnderLoad {
    @Override
    Down down() {
        return Down.SIGTERM;
    }
}
