using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Formatting;
using Mandate.Cedar.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Validation;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate policy check|format|authorize|validate</c> (and <c>test</c>, in <see cref="PolicyTestCommand"/>): work with Cedar policy files the way the
/// official <c>cedar</c> CLI does. Exit codes: 0 success (and for any authorization decision),
/// 2 bad input, with the problems on stderr as <c>file:line:col: error[code]: message</c>.
/// </summary>
internal static class PolicyCommand
{
    private const int Ok = 0;
    private const int BadInput = 2;

    /// <summary>Builds the <c>policy</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("policy", "Check, format, validate and evaluate Cedar policies.");
        command.Subcommands.Add(Check());
        command.Subcommands.Add(Format());
        command.Subcommands.Add(Authorize());
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(PolicyTestCommand.Create());
        command.Subcommands.Add(PolicyShadowCommand.Create());
        command.Subcommands.Add(PolicySuggestCommand.Create());
        return command;
    }

    private static Option<string> PoliciesOption() => new("--policies", "-p")
    {
        Description = "A .cedar policy file, or a folder whose .cedar files are read in name order.",
        Required = true,
    };

    private static Option<string> IdsOption() => new("--policy-ids")
    {
        Description = "How policies are named: `positional` (policy0, policy1, ...; as the cedar CLI) or `annotation` (@id when present).",
        DefaultValueFactory = _ => "positional",
    };

    private static Command Check()
    {
        var policies = PoliciesOption();
        var ids = IdsOption();
        ids.AcceptOnlyFromAmong("positional", "annotation");
        var command = new Command("check", "Parse policies and report every syntax error.") { policies, ids };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var set = await LoadPoliciesAsync(parse.GetValue(policies)!, IdMode(parse.GetValue(ids)), error, ct);
            if (set is null) return BadInput;
            await output.WriteLineAsync($"ok: {Count(set.Policies.Length, "policy", "policies")}, {Count(set.Templates.Length, "template", "templates")}");
            return Ok;
        });
        return command;
    }

    private static Command Format()
    {
        var policies = new Option<string>("--policies", "-p") { Description = "The .cedar policy file to format.", Required = true };
        var write = new Option<bool>("--write", "-w") { Description = "Rewrite the file in place instead of printing it." };
        var check = new Option<bool>("--check") { Description = "Print nothing; exit 1 when the file is not formatted." };
        var command = new Command("format", "Print policies in canonical Cedar layout (comments are kept).") { policies, write, check };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(policies)!;
            var text = await ReadFileAsync(path, error, ct);
            if (text is null) return BadInput;
            var formatted = PolicyFormatter.FormatText(text, path);
            if (!formatted.IsSuccess)
            {
                await WriteDiagnosticsAsync(error, formatted.Diagnostics, path, text);
                return BadInput;
            }
            if (parse.GetValue(check))
            {
                if (formatted.Value == text) return Ok;
                await error.WriteLineAsync($"{path}: not formatted");
                return 1;
            }
            if (parse.GetValue(write))
            {
                if (formatted.Value != text)
                {
                    // Write beside the file and rename, so an interrupted write never leaves half a policy file.
                    var temp = path + ".mandate-format.tmp";
                    await File.WriteAllTextAsync(temp, formatted.Value, ct);
                    File.Move(temp, path, overwrite: true);
                }
                return Ok;
            }
            await output.WriteAsync(formatted.Value);
            return Ok;
        });
        return command;
    }

    private static Command Authorize()
    {
        var policies = PoliciesOption();
        var ids = IdsOption();
        ids.AcceptOnlyFromAmong("positional", "annotation");
        var entities = new Option<string>("--entities") { Description = "Entities in Cedar's JSON entity format.", Required = true };
        var schema = new Option<string?>("--schema", "-s") { Description = "Schema (.cedarschema or JSON); entities and request are then read and checked against it." };
        var request = new Option<string>("--request-json") { Description = "Request: {\"principal\": {\"type\", \"id\"}, \"action\": …, \"resource\": …, \"context\": {…}}.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON: {\"decision\", \"reasons\", \"errors\"}." };
        var command = new Command("authorize", "Decide one request: prints ALLOW or DENY, the determining policies and any errors.")
        {
            policies, ids, entities, schema, request, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var set = await LoadPoliciesAsync(parse.GetValue(policies)!, IdMode(parse.GetValue(ids)), error, ct);
            if (set is null) return BadInput;

            CedarSchema? cedarSchema = null;
            if (parse.GetValue(schema) is { } schemaPath)
            {
                cedarSchema = await LoadSchemaAsync(schemaPath, error, ct);
                if (cedarSchema is null) return BadInput;
            }

            var entitiesPath = parse.GetValue(entities)!;
            var entitiesText = await ReadFileAsync(entitiesPath, error, ct);
            if (entitiesText is null) return BadInput;
            var store = EntityJson.Parse(entitiesText, cedarSchema);
            if (!store.Success)
            {
                await WriteJsonErrorsAsync(error, entitiesPath, store.Errors);
                return BadInput;
            }

            var requestPath = parse.GetValue(request)!;
            var requestText = await ReadFileAsync(requestPath, error, ct);
            if (requestText is null) return BadInput;
            var req = RequestJson.Parse(requestText, cedarSchema);
            if (!req.Success)
            {
                await WriteJsonErrorsAsync(error, requestPath, req.Errors);
                return BadInput;
            }

            var response = new Authorizer(set).IsAuthorized(req.Value!, store.Value!);
            await output.WriteAsync(parse.GetValue(json) ? ResponseJson(response) : ResponseText(response));
            return Ok;
        });
        return command;
    }

    private static Command Validate()
    {
        var policies = PoliciesOption();
        var ids = IdsOption();
        ids.AcceptOnlyFromAmong("positional", "annotation");
        var schema = new Option<string>("--schema", "-s") { Description = "Schema (.cedarschema or JSON).", Required = true };
        var mode = new Option<string>("--mode")
        {
            Description = "`strict` (Cedar's default) or `permissive` typechecking.",
            DefaultValueFactory = _ => "strict",
        };
        mode.AcceptOnlyFromAmong("strict", "permissive");
        var command = new Command("validate", "Typecheck policies against a schema; exit 1 when a policy is invalid.") { policies, ids, schema, mode };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var cedarSchema = await LoadSchemaAsync(parse.GetValue(schema)!, error, ct);
            var loaded = await LoadPoliciesWithSourcesAsync(parse.GetValue(policies)!, IdMode(parse.GetValue(ids)), error, ct);
            if (cedarSchema is null || loaded is null) return BadInput;
            var validationMode = parse.GetValue(mode) == "permissive" ? ValidationMode.Permissive : ValidationMode.Strict;
            var result = Validator.Validate(cedarSchema, loaded.Set, validationMode);
            if (result.IsValid)
            {
                await output.WriteLineAsync(
                    $"validation passed: {Count(loaded.Set.Policies.Length, "policy", "policies")}, {Count(loaded.Set.Templates.Length, "template", "templates")}");
                return Ok;
            }
            foreach (var group in result.Errors.GroupBy(e => loaded.Sources.TryGetValue(e.PolicyId, out var src) ? src : ("", "")))
            {
                var (file, text) = group.Key;
                var diagnostics = group.Select(e => file.Length == 0 ? e.ToDiagnostic("", null) : e.ToDiagnostic(text, file)).ToList();
                await WriteDiagnosticsAsync(error, diagnostics, file, file.Length == 0 ? null : text);
            }
            await output.WriteLineAsync($"validation failed: {Count(result.Errors.Length, "error", "errors")}");
            return 1;
        });
        return command;
    }

    // ------------------------------------------------------------------ helpers

    private static PolicyIdMode IdMode(string? value) =>
        value == "annotation" ? PolicyIdMode.AnnotationOrPositional : PolicyIdMode.Positional;

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    /// <summary>A parsed policy set and, per policy id, the file and text it came from (to locate later errors).</summary>
    internal sealed record LoadedPolicies(PolicySet Set, IReadOnlyDictionary<string, (string File, string Text)> Sources);

    /// <summary>Reads and parses a policy file or folder; reports problems and returns null on any.</summary>
    internal static async Task<PolicySet?> LoadPoliciesAsync(string path, PolicyIdMode mode, TextWriter error, CancellationToken ct) =>
        (await LoadPoliciesWithSourcesAsync(path, mode, error, ct))?.Set;

    /// <summary>Like <see cref="LoadPoliciesAsync"/>, also keeping where each policy came from.</summary>
    internal static async Task<LoadedPolicies?> LoadPoliciesWithSourcesAsync(string path, PolicyIdMode mode, TextWriter error, CancellationToken ct)
    {
        var files = new List<(string FileName, string Text)>();
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*.cedar", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                files.Add((file, await File.ReadAllTextAsync(file, ct)));
            }
            if (files.Count == 0)
            {
                await error.WriteLineAsync($"error: no .cedar files in `{path}`");
                return null;
            }
        }
        else
        {
            var text = await ReadFileAsync(path, error, ct);
            if (text is null) return null;
            files.Add((path, text));
        }
        var result = PolicyParser.ParsePolicySet(files, mode);
        if (result.IsSuccess) return new LoadedPolicies(result.Value, SourcesOf(files, mode));
        var texts = files.ToDictionary(f => f.FileName, f => f.Text);
        foreach (var group in result.Diagnostics.GroupBy(d => d.File ?? path))
        {
            await WriteDiagnosticsAsync(error, group, group.Key, texts.GetValueOrDefault(group.Key));
        }
        return null;
    }

    // Each file parsed alone numbers its policies from policy0 in the same order as the combined
    // parse, which continued the count across files; so ids map back to files by offset.
    private static Dictionary<string, (string File, string Text)> SourcesOf(List<(string FileName, string Text)> files, PolicyIdMode mode)
    {
        var sources = new Dictionary<string, (string File, string Text)>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var (file, text) in files)
        {
            var alone = PolicyParser.ParsePolicySet(text, file).GetValueOrThrow();
            var all = alone.Policies.Concat(alone.Templates).OrderBy(p => p.Span.Start).ToList();
            foreach (var p in all)
            {
                var positional = "policy" + (offset + int.Parse(p.Id.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture));
                var id = mode == PolicyIdMode.AnnotationOrPositional && p.Annotation("id") is { } named ? named : positional;
                sources[id] = (file, text);
            }
            offset += all.Count;
        }
        return sources;
    }

    private static async Task<CedarSchema?> LoadSchemaAsync(string path, TextWriter error, CancellationToken ct)
    {
        var text = await ReadFileAsync(path, error, ct);
        if (text is null) return null;
        var parsed = SchemaParser.Parse(text, path);
        if (parsed.Success && parsed.Schema is not null) return parsed.Schema;
        foreach (var d in parsed.Diagnostics) await error.WriteLineAsync(d.ToString());
        return null;
    }

    private static async Task<string?> ReadFileAsync(string path, TextWriter error, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(path, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read `{path}`: {ex.Message}");
            return null;
        }
    }

    /// <summary>Each diagnostic as <c>file:line:col: error[code]: message</c>, then the line with a caret under the problem.</summary>
    private static async Task WriteDiagnosticsAsync(TextWriter error, IEnumerable<CedarDiagnostic> diagnostics, string path, string? text)
    {
        var lines = text?.Split('\n');
        foreach (var d in diagnostics)
        {
            await error.WriteLineAsync((d with { File = d.File ?? path }).ToString());
            if (lines is null || d.Line < 1 || d.Line > lines.Length) continue;
            var line = lines[d.Line - 1].TrimEnd('\r');
            if (line.Length > 200) continue; // a caret under a huge line helps nobody
            var width = Math.Clamp(d.Span.End - d.Span.Start, 1, Math.Max(1, line.Length - d.Column + 1));
            var gutter = d.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await error.WriteLineAsync($" {gutter} | {line}");
            await error.WriteLineAsync($" {new string(' ', gutter.Length)} | {new string(' ', Math.Max(0, d.Column - 1))}{new string('^', width)}");
        }
    }

    private static async Task WriteJsonErrorsAsync(TextWriter error, string path, IEnumerable<CedarJsonError> errors)
    {
        foreach (var e in errors)
        {
            var where = e.Path.Length == 0 ? "" : $" (at `{e.Path}`)";
            await error.WriteLineAsync($"{path}: error[{e.Code}]: {e.Message}{where}");
        }
    }

    internal static string ResponseText(Response response)
    {
        var sb = new StringBuilder();
        sb.Append(response.IsAllowed ? "ALLOW" : "DENY").Append('\n');
        foreach (var id in response.Reasons) sb.Append("reason: ").Append(id).Append('\n');
        foreach (var e in response.Errors) sb.Append("error: ").Append(e.PolicyId).Append(": ").Append(e.Message).Append('\n');
        return sb.ToString();
    }

    internal static string ResponseJson(Response response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("decision", response.IsAllowed ? "allow" : "deny");
            w.WriteStartArray("reasons");
            foreach (var id in response.Reasons) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteStartArray("errors");
            foreach (var e in response.Errors)
            {
                w.WriteStartObject();
                w.WriteString("policy", e.PolicyId);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
