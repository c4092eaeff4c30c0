using System.Collections.Concurrent;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Tests.Support;

namespace Mandate.Cedar.Tests.Validation;

/// <summary>
/// The corpus tests' schemas and policy sets, read once per test run and shared by the schema
/// and validation suites (they are the slow part; each suite then only does its own checks).
/// </summary>
internal static class CorpusCases
{
    private static readonly ConcurrentDictionary<string, (string SchemaText, CedarSchema Schema, PolicySet Policies)> Cache = new();

    public static string Dir { get; } = Path.Combine(ConformanceData.CorpusRoot(), "corpus-tests");

    /// <summary>The hashes of all corpus tests, in ordinal order.</summary>
    public static IReadOnlyList<string> Hashes { get; } = Directory.EnumerateFiles(Dir, "*.cedarschema")
        .Select(f => Path.GetFileNameWithoutExtension(f))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static (string SchemaText, CedarSchema Schema, PolicySet Policies) Get(string hash) => Cache.GetOrAdd(hash, Load);

    private static (string, CedarSchema, PolicySet) Load(string hash)
    {
        var schemaFile = Path.Combine(Dir, hash + ".cedarschema");
        var text = File.ReadAllText(schemaFile);
        var schema = SchemaParser.Parse(text, schemaFile);
        Assert.True(schema.Success, string.Join("\n", schema.Diagnostics));
        var policyFile = Path.Combine(Dir, hash + ".cedar");
        var policies = PolicyParser.ParsePolicySet(File.ReadAllText(policyFile), policyFile);
        Assert.True(policies.IsSuccess, string.Join("\n", policies.Diagnostics));
        return (text, schema.Schema!, policies.Value);
    }
}
