using System.Text;
using Mandate.Server.Configuration;

namespace Mandate.Fuzz.Targets;

/// <summary>
/// The configuration loader from text (<see cref="MandateConfigLoader.Parse"/>): YAML, the shape check, the DTOs
/// and every validator. The input is a <c>mandate.yaml</c> (UTF-8); relative paths resolve against a scratch
/// folder holding a policy folder, a schema, an entity file and an admin token, so valid files get all the way.
/// </summary>
/// <remarks>
/// Expected failure: a list of problems, each with its YAML path and a line inside the file. Findings: any
/// exception; a result with both a configuration and problems, or neither.
/// </remarks>
public sealed class ConfigLoaderTarget : FuzzTarget
{
    private static readonly string SourcePath = Scratch();

    /// <inheritdoc />
    public override string Name => "config";

    /// <inheritdoc />
    public override string Description => "mandate.yaml text → validated configuration or problems; findings: exceptions, problems without a line in the file";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = MandateConfigLoader.Parse(text, SourcePath);
        Check(result.Succeeded == (result.Config is not null) && result.Succeeded == (result.Problems.Count == 0), "a configuration or problems, never both, never neither");
        // YAML also breaks lines at a lone \r and (YAML 1.1, as YamlDotNet reads it) at U+0085, U+2028 and U+2029.
        var lines = text.Count(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029') + 1;
        foreach (var problem in result.Problems)
        {
            Check(problem.Message.Length > 0, "a problem says what is wrong");
            Check(problem.Line is null || (problem.Line >= 1 && problem.Line <= lines), "a problem's line is in the file");
        }
    }

    // The folder a fuzzed mandate.yaml "lives in": the files the seed configurations name.
    private static string Scratch()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mandate-fuzz-config");
        Directory.CreateDirectory(Path.Combine(folder, "policies"));
        File.WriteAllText(Path.Combine(folder, "policies", "allow.cedar"), "permit(principal, action, resource);\n");
        File.WriteAllText(Path.Combine(folder, "mandate.cedarschema"), "namespace Mandate { entity Agent; entity Ticket; action \"tickets.read\" appliesTo { principal: Agent, resource: Ticket }; }\n");
        File.WriteAllText(Path.Combine(folder, "entities.json"), "[]\n");
        File.WriteAllText(Path.Combine(folder, "admin.token"), "fuzz-admin-token-0123456789\n");
        File.WriteAllText(Path.Combine(folder, "vault.key"), "");
        return Path.Combine(folder, "mandate.yaml");
    }
}
