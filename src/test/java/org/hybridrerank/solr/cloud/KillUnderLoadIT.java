package org.hybridrerank.solr.cloud;

/** {@link NodeDownUnderLoad} with SIGKILL ({@code kill -9}): acknowledged documents come back from the update log. */
public class KillUnderLoadIT extends NodeDownUnderLoad {
    @Override
    Down down() {
        return Down.SIGKILL;
    }
}
