using System.CommandLine;
using Mandate.Server.Lifecycle.Report;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate report</c>: the framework alignment report of a configuration (docs/policy-lifecycle.md) — each Mandate
/// control in force or not, its gaps, the routes and tools under it, evidence from the audit log, and how the controls
/// answer OWASP Agentic Top 10, OWASP NHI Top 10, CSA MAESTRO and NIST AI RMF. Exit 0 when written, 2 on bad input.
/// </summary>
internal static class ReportCommand
{
    /// <summary>Builds the <c>report</c> command.</summary>
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The mandate.yaml to assess.", Required = true };
        var format = new Option<string>("--format", "-f") { Description = "`md` (default), `json` or `html` (one self-contained page).", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json", "html");
        var window = new Option<string>("--window") { Description = "How far back audit evidence is counted: 30d (default), 12h, 90m.", DefaultValueFactory = _ => "30d" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory of the audit log (default: the configuration's dataDir). Without an audit log the report says so." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command("report", "Framework alignment report: controls in force, gaps, evidence, and the OWASP / MAESTRO / NIST items they answer.")
        {
            config, format, window, dataDir, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var inputs = await LifecycleInputs.LoadAsync(error, parse.GetValue(config)!, parse.GetValue(window), parse.GetValue(dataDir));
            if (inputs is null)
            {
                return 2;
            }

            var options = inputs.Audit;
            AuditEvidence? audit = null;
            if (File.Exists(options.DatabasePath))
            {
                audit = await AuditEvidence.ReadAsync(new SqliteAuditReader(options), inputs.Since, ct);
            }
            else
            {
                await error.WriteLineAsync($"note: no audit log at `{options.DatabasePath}`; the report has no evidence from it");
            }

            var report = AlignmentReport.Build(inputs.Config, inputs.Policies, audit, inputs.Now - inputs.Since, inputs.Now);
            var text = parse.GetValue(format) switch
            {
                "json" => ReportWriters.Json(report),
                "html" => ReportWriters.Html(report),
                _ => ReportWriters.Markdown(report),
            };
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, text, ct);
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteAsync(text);
            }

            return 0;
        });
        return command;
    }
}
