using System.CommandLine;
using Mandate.Cedar.Ast;
using Mandate.Server.Lifecycle.Suggest;
using Mandate.Storage.Sqlite.Audit;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate policy suggest</c>: least-privilege permits from the audit log — per agent and resource type exactly what
/// was used in the window — and the live permits that never determined an allow, as Cedar text to review
/// (docs/policy-lifecycle.md). Exit 0 written, 1 no audit log, 2 bad input.
/// </summary>
internal static class PolicySuggestCommand
{
    /// <summary>Builds the <c>suggest</c> subcommand.</summary>
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The mandate.yaml whose policies and namespace the suggestions are for.", Required = true };
        var window = new Option<string>("--window") { Description = "How far back allowed calls are read: 30d (default), 12h, 90m.", DefaultValueFactory = _ => "30d" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory of the audit log (default: the configuration's dataDir)." };
        var maxListed = new Option<int>("--max-listed") { Description = "List a type's resources when at most this many were used (default 3); more covers the whole type.", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--output", "-o") { Description = "Write the Cedar text to this file instead of standard output." };
        var command = new Command("suggest", "Least-privilege permits from what agents actually used, and the grants never used.") { config, window, dataDir, maxListed, output };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var inputs = await LifecycleInputs.LoadAsync(error, parse.GetValue(config)!, parse.GetValue(window), parse.GetValue(dataDir));
            if (inputs is null)
            {
                return 2;
            }

            var options = inputs.Audit;
            if (await AuditCommand.MissingLogAsync(parse, options))
            {
                return 1;
            }

            var calls = await PermitSuggester.ReadAsync(new SqliteAuditReader(options), inputs.Since, ct);
            var permits = inputs.Policies.Policies.Where(p => p.Effect == Effect.Permit).Select(p => p.Id).ToArray();
            var suggestions = PermitSuggester.Suggest(calls, permits, inputs.Since, Math.Max(1, parse.GetValue(maxListed)));
            var ns = inputs.Config.Policies.Namespace;
            var text = PermitSuggester.ToCedar(suggestions, ns.Length == 0 ? "Agent" : ns + "::Agent");
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
