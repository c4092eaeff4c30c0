using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Mandate.Server.Lifecycle.Report;

/// <summary>The report as JSON (for tools), Markdown (for a pull request or a wiki) and one self-contained HTML page.</summary>
public static class ReportWriters
{
    /// <summary>The report as indented JSON.</summary>
    public static string Json(AlignmentReport r)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("generatedAt", r.GeneratedAt);
            w.WriteString("config", r.ConfigPath);
            w.WriteNumber("windowDays", r.Window.TotalDays);
            w.WriteStartObject("audit");
            w.WriteBoolean("read", r.Audit is not null);
            if (r.Audit is { } a)
            {
                w.WriteString("since", a.Since);
                w.WriteNumber("recordsInWindow", a.Records);
                w.WriteBoolean("verified", a.Verification.Ok);
                w.WriteNumber("records", a.Verification.Records);
                w.WriteNumber("checkpoints", a.Verification.Checkpoints);
                if (a.Verification.Problem is { } p) w.WriteString("problem", $"{p.Code} at seq {p.Seq}: {p.Message}");
            }

            w.WriteEndObject();
            w.WriteStartArray("controls");
            foreach (var c in r.Catalogue.Controls)
            {
                var s = r.Controls[c.Id];
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                w.WriteString("title", c.Title);
                w.WriteString("status", ControlAssessment.Name(s.Status));
                Strings(w, "facts", s.Facts);
                Strings(w, "gaps", s.Gaps);
                Strings(w, "subjects", s.Subjects);
                w.WriteStartObject("evidence");
                foreach (var (k, v) in s.Evidence) w.WriteNumber(k, v);
                w.WriteEndObject();
                w.WriteStartArray("frameworks");
                foreach (var m in c.Maps)
                {
                    w.WriteStartObject();
                    w.WriteString("item", m.Item.Key);
                    w.WriteString("title", m.Item.Title);
                    w.WriteString("why", m.Why);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("frameworks");
            foreach (var f in r.Catalogue.Frameworks)
            {
                w.WriteStartObject();
                w.WriteString("id", f.Id);
                w.WriteString("name", f.Name);
                w.WriteStartArray("items");
                foreach (var item in f.Items)
                {
                    w.WriteStartObject();
                    w.WriteString("id", item.Id);
                    w.WriteString("title", item.Title);
                    w.WriteString("coverage", AlignmentReport.Name(r.CoverageOf(item)));
                    Strings(w, "controls", r.ControlsFor(item).Select(c => c.Id).ToArray());
                    if (item.OutOfScope is { } why) w.WriteString("outOfScope", why);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("summary");
            foreach (var g in r.Controls.Values.GroupBy(s => s.Status).OrderBy(g => g.Key)) w.WriteNumber(ControlAssessment.Name(g.Key), g.Count());
            w.WriteNumber("gaps", r.Controls.Values.Sum(s => s.Gaps.Count));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>The report as Markdown.</summary>
    public static string Markdown(AlignmentReport r)
    {
        var md = new StringBuilder();
        md.Append("# Mandate framework alignment report\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Configuration `{r.ConfigPath}`, generated {r.GeneratedAt:yyyy-MM-dd HH:mm} UTC. {Audit(r)}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{Summary(r)}\n\n## Controls\n\n");
        foreach (var c in r.Catalogue.Controls)
        {
            var s = r.Controls[c.Id];
            md.Append(CultureInfo.InvariantCulture, $"### {c.Title} — {ControlAssessment.Name(s.Status)}\n\n");
            foreach (var f in s.Facts) md.Append("- ").Append(f).Append('\n');
            foreach (var g in s.Gaps) md.Append("- **gap:** ").Append(g).Append('\n');
            if (s.Subjects.Count > 0) md.Append("- covers: ").AppendJoin(", ", s.Subjects.Select(x => $"`{x}`")).Append('\n');
            if (s.Evidence.Count > 0) md.Append("- evidence: ").AppendJoin(", ", s.Evidence.Select(e => $"{e.Key} {e.Value}")).Append('\n');
            md.Append("- answers: ").AppendJoin("; ", c.Maps.Select(m => $"{m.Item.Key} ({m.Item.Title}): {m.Why}")).Append("\n\n");
        }

        md.Append("## Frameworks\n");
        foreach (var f in r.Catalogue.Frameworks)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n### {f.Name}\n\n| item | coverage | controls |\n|---|---|---|\n");
            foreach (var item in f.Items)
            {
                var controls = item.OutOfScope ?? string.Join(", ", r.ControlsFor(item).Select(c => $"{c.Id} ({ControlAssessment.Name(r.Controls[c.Id].Status)})"));
                md.Append(CultureInfo.InvariantCulture, $"| {item.Id} {item.Title} | {AlignmentReport.Name(r.CoverageOf(item))} | {controls} |\n");
            }
        }

        return md.ToString();
    }

    /// <summary>The report as one HTML page with no outside resources: a picture of coverage, then every control.</summary>
    public static string Html(AlignmentReport r)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var h = new StringBuilder();
        h.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mandate framework alignment</title>\n<style>")
         .Append("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
         .Append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
         .Append(".in-force,.covered{background:#d9f2d9}.partial,.partly{background:#fff1c2}.missing,.not-covered{background:#f8d0d0}")
         .Append(".not-used{background:#eee}.not-built{background:#e8d9f5}.out-of-scope{background:#f4f4f4;color:#777}")
         .Append("svg text{font:11px system-ui,sans-serif}</style></head><body>\n");
        h.Append("<h1>Mandate framework alignment report</h1>\n<p>Configuration <code>").Append(H(r.ConfigPath)).Append("</code>, generated ")
         .Append(r.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC. ").Append(H(Audit(r))).Append("</p>\n<p>").Append(H(Summary(r))).Append("</p>\n");
        h.Append(Picture(r));
        h.Append("<h2>Controls</h2>\n<table><tr><th>control</th><th>status</th><th>facts and gaps</th><th>covers</th><th>evidence</th></tr>\n");
        foreach (var c in r.Catalogue.Controls)
        {
            var s = r.Controls[c.Id];
            var status = ControlAssessment.Name(s.Status);
            h.Append("<tr><td id=\"").Append(c.Id).Append("\">").Append(H(c.Title)).Append("</td><td class=\"").Append(status).Append("\">").Append(status).Append("</td><td>");
            foreach (var f in s.Facts) h.Append(H(f)).Append("<br>");
            foreach (var g in s.Gaps) h.Append("<b>gap:</b> ").Append(H(g)).Append("<br>");
            h.Append("</td><td>").AppendJoin("<br>", s.Subjects.Select(H)).Append("</td><td>")
             .AppendJoin("<br>", s.Evidence.Select(e => H($"{e.Key}: {e.Value}"))).Append("</td></tr>\n");
        }

        h.Append("</table>\n");
        foreach (var f in r.Catalogue.Frameworks)
        {
            h.Append("<h2>").Append(H(f.Name)).Append("</h2>\n<table><tr><th>item</th><th>coverage</th><th>controls and why</th></tr>\n");
            foreach (var item in f.Items)
            {
                var coverage = AlignmentReport.Name(r.CoverageOf(item));
                h.Append("<tr><td>").Append(H($"{item.Id} {item.Title}")).Append("</td><td class=\"").Append(coverage).Append("\">").Append(coverage).Append("</td><td>");
                h.Append(item.OutOfScope is { } why
                    ? H(why)
                    : string.Join("<br>", r.ControlsFor(item).Select(c => $"<a href=\"#{c.Id}\">{H(c.Id)}</a> ({ControlAssessment.Name(r.Controls[c.Id].Status)}): {H(c.Maps.First(m => m.Item == item).Why)}")));
                h.Append("</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        return h.Append("</body></html>\n").ToString();
    }

    // One row of squares per framework, coloured by coverage.
    private static string Picture(AlignmentReport r)
    {
        const int Cell = 54, Label = 300, Row = 40;
        var width = Label + (r.Catalogue.Frameworks.Max(f => f.Items.Count) * Cell);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"coverage by framework\" width=\"{width}\" height=\"{(r.Catalogue.Frameworks.Count * Row) + 10}\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        var colours = new Dictionary<ItemCoverage, string> { [ItemCoverage.Covered] = "#5cb85c", [ItemCoverage.Partly] = "#f0ad4e", [ItemCoverage.NotCovered] = "#d9534f", [ItemCoverage.OutOfScope] = "#cccccc" };
        for (var i = 0; i < r.Catalogue.Frameworks.Count; i++)
        {
            var f = r.Catalogue.Frameworks[i];
            var y = (i * Row) + 5;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 20}\">{WebUtility.HtmlEncode(f.Name)}</text>\n");
            for (var j = 0; j < f.Items.Count; j++)
            {
                var item = f.Items[j];
                var coverage = r.CoverageOf(item);
                svg.Append(CultureInfo.InvariantCulture, $"<g><title>{WebUtility.HtmlEncode($"{item.Id} {item.Title}: {AlignmentReport.Name(coverage)}")}</title>")
                   .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Label + (j * Cell)}\" y=\"{y}\" width=\"{Cell - 4}\" height=\"30\" rx=\"3\" fill=\"{colours[coverage]}\"/>")
                   .Append(CultureInfo.InvariantCulture, $"<text x=\"{Label + (j * Cell) + 4}\" y=\"{y + 19}\">{WebUtility.HtmlEncode(item.Id)}</text></g>\n");
            }
        }

        return svg.Append("</svg>\n<p>Green: covered by a control in force; amber: partly; red: not covered here; grey: beyond what a gateway sees.</p>\n").ToString();
    }

    private static string Audit(AlignmentReport r) => r.Audit is { } a
        ? $"Audit log: {a.Records} records in the last {r.Window.TotalDays:0} days; verify {(a.Verification.Ok ? "ok" : "FAILED")} over {a.Verification.Records} records and {a.Verification.Checkpoints} checkpoints."
        : "Audit log not read.";

    private static string Summary(AlignmentReport r) =>
        string.Join(", ", r.Controls.Values.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {ControlAssessment.Name(g.Key)}"))
        + $"; {r.Controls.Values.Sum(s => s.Gaps.Count)} gap(s).";

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
