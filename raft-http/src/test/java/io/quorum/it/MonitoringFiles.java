package io.quorum.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quorum.deploy.DeployFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files of {@code deploy/} as a test against a real cluster uses them: the
 * Prometheus config rewritten for the cluster's ports, the Grafana dashboard's queries and the
 * alerting rules' expressions.
 */
final class MonitoringFiles {

    static final String SCRAPE_CONFIG = "deploy/prometheus/prometheus.yml";
    static final String ALERTS = "deploy/prometheus/alerts.yml";
    static final String DASHBOARD = "deploy/grafana/dashboards/quorum-overview.json";

    /** Grafana's interval variables, as a dashboard query may write them, and the window each becomes. */
    private static final Map<String, String> GRAFANA_INTERVALS = Map.of(
            "__rate_interval", "1m", "__interval", "15s", "__range", "5m");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{[^}]*}}");

    /** One expression to evaluate: where it comes from ({@code panel} or {@code alert}), its name and PromQL. */
    record Query(String kind, String name, String expr) {}

    private final DeployFiles files = DeployFiles.locate();
    private final ObjectMapper json = new ObjectMapper();
    private final YAMLMapper yaml = new YAMLMapper();

    /**
     * deploy's scrape config for a cluster on other ports: its jobs, labels and relabelling kept,
     * each static target replaced by the HTTP address of the node its {@code node} label names,
     * {@code rule_files} made absolute, and scrapes and rule evaluations every second.
     *
     * @param httpPorts the HTTP port of each node id
     */
    JsonNode scrapeConfigFor(Map<String, Integer> httpPorts) {
        ObjectNode config = (ObjectNode) files.yaml(SCRAPE_CONFIG).deepCopy();
        ObjectNode global = config.has("global") ? (ObjectNode) config.get("global") : config.putObject("global");
        global.put("scrape_interval", "1s").put("evaluation_interval", "1s");
        ArrayNode rules = json.createArrayNode();
        for (JsonNode file : config.path("rule_files")) {
            rules.add(files.path(SCRAPE_CONFIG).resolveSibling(file.asText()).toString());
        }
        config.set("rule_files", rules);
        List<String> placed = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            ObjectNode scrape = (ObjectNode) job;
            if (scrape.has("scrape_timeout")) {
                scrape.put("scrape_timeout", "1s");
            }
            for (JsonNode group : scrape.path("static_configs")) {
                String node = group.path("labels").path("node").asText(null);
                Integer port = node == null ? null : httpPorts.get(node);
                if (port == null) {
                    throw new AssertionError(SCRAPE_CONFIG + ": a target group without the node label of a cluster member "
                            + httpPorts.keySet() + ": " + group);
                }
                ((ObjectNode) group).set("targets", json.createArrayNode().add("127.0.0.1:" + port));
                placed.add(node);
            }
        }
        if (!placed.containsAll(httpPorts.keySet())) {
            throw new AssertionError(SCRAPE_CONFIG + " scrapes " + placed + ", not every member of " + httpPorts.keySet());
        }
        return config;
    }

    /** Writes {@code config} as YAML to {@code file}. */
    Path write(JsonNode config, Path file) {
        try {
            Files.createDirectories(file.getParent());
            yaml.writeValue(file.toFile(), config);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every query of every panel of the dashboard (rows' nested panels too), Grafana's interval
     * variables replaced by a window; named by the panel's title and, where the panel has several
     * queries, the legend or ref id that tells them apart.
     */
    List<Query> dashboardQueries() {
        JsonNode dashboard;
        try {
            dashboard = json.readTree(files.path(DASHBOARD).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Query> queries = new ArrayList<>();
        collectPanels(dashboard.path("panels"), queries);
        return queries;
    }

    private void collectPanels(JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            JsonNode targets = panel.path("targets");
            for (JsonNode target : targets) {
                String expr = target.path("expr").asText("");
                if (expr.isBlank()) {
                    continue;
                }
                String title = panel.path("title").asText();
                String name = targets.size() == 1 ? title : title + " (" + legendOrRef(target) + ")";
                queries.add(new Query("panel", name, substituteVariables(expr, name)));
            }
            collectPanels(panel.path("panels"), queries);
        }
    }

    private static String legendOrRef(JsonNode target) {
        String legend = LEGEND_LABEL.matcher(target.path("legendFormat").asText("")).replaceAll("").strip();
        return legend.isEmpty() ? target.path("refId").asText("?") : legend;
    }

    /** {@code expr} with Grafana's interval variables replaced; any other variable is an error here. */
    static String substituteVariables(String expr, String where) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1)
                    : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            String window = GRAFANA_INTERVALS.get(name);
            if (window == null) {
                throw new AssertionError(where + ": the dashboard defines no value for $" + name + " in " + expr);
            }
            matcher.appendReplacement(out, window);
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Every alerting rule's expression, named by its alert. */
    List<Query> alertQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode group : files.yaml(ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    queries.add(new Query("alert", rule.get("alert").asText(), rule.path("expr").asText()));
                }
            }
        }
        return queries;
    }
}
