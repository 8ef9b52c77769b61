// Imports GraphML and GEXF files with the Gephi Toolkit, headless, the way Gephi's
// "Open" does, and prints one JSON line per file: node and edge counts, attribute
// columns, whether the graph is dynamic, and its time bounds.
//
//   java -Djava.awt.headless=true -cp 'neo4j/target/gephi-lib/*' \
//        scripts/gephi/GephiCheck.java graph.graphml graph.gexf
//
// Exit status 0 when every file imported without a severe issue, 1 otherwise.
import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.gephi.graph.api.Column;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Interval;
import org.gephi.graph.api.Table;
import org.gephi.graph.api.TimeFormat;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.importer.api.Report;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

public class GephiCheck {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: GephiCheck FILE.graphml|FILE.gexf ...");
            System.exit(2);
        }
        boolean allImported = true;
        for (String path : args) {
            allImported &= check(new File(path));
        }
        System.exit(allImported ? 0 : 1);
    }

    private static boolean check(File file) throws Exception {
        ProjectController projects = Lookup.getDefault().lookup(ProjectController.class);
        projects.newProject();
        Workspace workspace = projects.getCurrentWorkspace();
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);

        Container container = importer.importFile(file);
        if (container == null) {
            System.out.println(json(file, "no importer accepted the file", null, null, List.of()));
            return false;
        }
        boolean verified = container.verify();
        List<String> severe = severeIssues(container.getReport());
        importer.process(container, new DefaultProcessor(), workspace);
        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        System.out.println(json(file, verified ? null : "container did not verify", container, model, severe));
        projects.closeCurrentProject();
        return verified && severe.isEmpty();
    }

    private static List<String> severeIssues(Report report) {
        List<String> found = new ArrayList<>();
        if (report == null) {
            return found;
        }
        for (Iterator<Issue> issues = report.getIssues(Integer.MAX_VALUE); issues.hasNext(); ) {
            Issue issue = issues.next();
            if (issue.getLevel() == Issue.Level.SEVERE || issue.getLevel() == Issue.Level.CRITICAL) {
                found.add(issue.getMessage());
            }
        }
        return found;
    }

    private static String json(File file, String error, Container container, GraphModel model,
                               List<String> severe) {
        StringBuilder out = new StringBuilder("{");
        field(out, "file", quote(file.getPath()));
        if (error != null) {
            field(out, "error", quote(error));
        }
        if (model != null) {
            field(out, "directed", String.valueOf(model.isDirected()));
            field(out, "nodes", String.valueOf(model.getGraph().getNodeCount()));
            field(out, "edges", String.valueOf(model.getGraph().getEdgeCount()));
            field(out, "node_columns", columns(model.getNodeTable()));
            field(out, "edge_columns", columns(model.getEdgeTable()));
            field(out, "dynamic", String.valueOf(container.isDynamicGraph() || model.isDynamic()));
            field(out, "time_format", quote(model.getTimeFormat().name()));
            Interval bounds = model.getTimeBounds();
            boolean bounded = bounds != null && !Double.isInfinite(bounds.getLow())
                    && !Double.isInfinite(bounds.getHigh());
            field(out, "time_start", bounded ? quote(moment(bounds.getLow(), model.getTimeFormat())) : "null");
            field(out, "time_end", bounded ? quote(moment(bounds.getHigh(), model.getTimeFormat())) : "null");
        }
        StringBuilder issues = new StringBuilder("[");
        for (String message : severe) {
            issues.append(issues.length() > 1 ? "," : "").append(quote(message));
        }
        field(out, "severe_issues", issues.append("]").toString());
        return out.append("}").toString();
    }

    private static String columns(Table table) {
        StringBuilder out = new StringBuilder("{");
        for (Column column : table.toArray()) {
            if (out.length() > 1) {
                out.append(",");
            }
            out.append(quote(column.getTitle())).append(":").append(quote(column.getTypeClass().getSimpleName()));
        }
        return out.append("}").toString();
    }

    private static String moment(double value, TimeFormat format) {
        if (format == TimeFormat.DOUBLE) {
            return String.format(Locale.ROOT, "%s", value);
        }
        Instant instant = Instant.ofEpochMilli((long) value);
        return format == TimeFormat.DATE
                ? instant.atZone(ZoneOffset.UTC).toLocalDate().toString()
                : instant.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (out.length() > 1) {
            out.append(",");
        }
        out.append(quote(name)).append(":").append(value);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append("\"").toString();
    }
}
