package org.hybridrerank.solr.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;

/**
 * A split's judged queries with every first-stage candidate and its cross-encoder score ({@link CandidateFetch}):
 * read from the cache file {@code out/candidates-SPLIT.json} when it was made by the same Solr, collection, handler
 * and depth, else fetched (one request per query) and cached. bin/tune and bin/calibrate share it, so either reads
 * what the other fetched.
 */
final class JudgedCandidates {
    private JudgedCandidates() {}

    /** @param limit only the first N judged queries; null for all */
    static Tune.Judged load(
            SolrClient solr,
            SolrOptions options,
            String core,
            Dataset data,
            String split,
            Integer limit,
            Path out,
            int depth,
            PrintWriter err)
            throws Exception {
        DatasetCheck.JudgedQueries judged = DatasetCheck.judgedQueries(data, split, TopicField.TITLE);
        List<String> ids = judged.ids();
        if (limit != null) ids = ids.subList(0, Math.min(limit, ids.size()));
        Path cacheFile = out.resolve("candidates-" + split + ".json");
        Map<String, QueryCandidates> cached =
                CandidateFetch.read(cacheFile, options.solrUrl, core, options.handler, depth, ids);
        List<QueryCandidates> candidates = new ArrayList<>();
        if (cached != null) {
            err.printf("read the candidates of %d '%s' queries from %s%n", ids.size(), split, cacheFile);
            candidates.addAll(cached.values());
        } else {
            Map<String, List<QueryCandidates.Row>> rows = new LinkedHashMap<>();
            long start = System.nanoTime();
            for (String qid : ids) {
                QueryCandidates q = CandidateFetch.fetch(
                        solr, options.handler, qid, judged.texts().get(qid), depth);
                candidates.add(q);
                rows.put(qid, q.rows());
                if (candidates.size() % 10 == 0 || candidates.size() == ids.size()) {
                    err.printf(
                            "fetched %d/%d '%s' queries (%.0f s)%n",
                            candidates.size(), ids.size(), split, (System.nanoTime() - start) / 1e9);
                    err.flush();
                }
            }
            CandidateFetch.write(
                    cacheFile, new CandidateFetch.CacheFile(options.solrUrl, core, options.handler, depth, rows));
        }
        err.flush();
        return new Tune.Judged(candidates, judged.qrels());
    }
}
